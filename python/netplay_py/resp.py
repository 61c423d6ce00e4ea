"""The wire: RESP replies, the quoting of user input in errors, decimal numbers, and the request parser.

A port of common/.../resp (RequestParser, Resp, Decimal): the same framing rules, limits and error texts, so that a
Python server answers a malformed request byte for byte as the Java servers do.
"""

from . import limits

NOT_A_NUMBER = object()  # not an optionally negative run of digits
TOO_LONG = object()  # digits, but more than MAX_DIGITS of them
MAX_DIGITS = 18
MAX_QUOTED_CHARS = 64  # longest piece of user input quoted back in an error

PONG = b"+PONG\r\n"
OK = b"+OK\r\n"
EMPTY_ARRAY = b"*0\r\n"


def decimal(data):
    """The integer in ``data`` as Redis reads one: an optional '-', then 1 to 18 digits; else NOT_A_NUMBER or TOO_LONG."""
    digits = data[1:] if data[:1] == b"-" else data
    if not digits or any(b < 0x30 or b > 0x39 for b in digits):
        return NOT_A_NUMBER
    if len(digits) > MAX_DIGITS:
        return TOO_LONG
    value = int(digits)
    return -value if data[:1] == b"-" else value


def is_number(n):
    return n is not NOT_A_NUMBER and n is not TOO_LONG


def quote(data):
    """User input as an error quotes it: printable ASCII as it is (but '), the rest as \\xHH, at most 64 characters."""
    out = []
    length = 0
    for b in data:
        if length >= MAX_QUOTED_CHARS:
            out.append("...")
            break
        piece = chr(b) if 0x20 <= b < 0x7F and b != 0x27 else "\\x%02x" % b
        out.append(piece)
        length += len(piece)
    return "".join(out)


def error(text, code="ERR"):
    return ("-" + code + " " + text + "\r\n").encode("ascii")


def bulk(payload):
    if isinstance(payload, str):
        payload = payload.encode("utf-8")
    return b"$%d\r\n%s\r\n" % (len(payload), payload)


def integer(n):
    return b":%d\r\n" % n


def map_header(entries, resp3):
    return b"%%%d\r\n" % entries if resp3 else b"*%d\r\n" % (2 * entries)


def nil(resp3):
    return b"_\r\n" if resp3 else b"$-1\r\n"


def verbatim(text, resp3):
    """INFO's text: RESP3's verbatim string (txt), RESP2's bulk string."""
    payload = text.encode("utf-8")
    if resp3:
        return b"=%d\r\ntxt:%s\r\n" % (len(payload) + 4, payload)
    return bulk(payload)


class ProtocolError(Exception):
    """Malformed framing: the server replies ``-ERR Protocol error: <message>`` and closes the connection."""

    def reply(self):
        return error("Protocol error: " + str(self))


_SPACE = b" \t\n\x0b\f\r"
_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("a"): 7}
_HEX = b"0123456789abcdefABCDEF"


def _unbalanced():
    return ProtocolError("unbalanced quotes in request")  # Redis's words


def split_inline(line):
    """The words of an inline request as Redis splits them (sdssplitargs): quotes, escapes, and a NUL ends the line."""
    words = []
    n = len(line)
    i = 0
    while True:
        while i < n and line[i] in _SPACE:
            i += 1
        if i >= n or line[i] == 0:
            return words
        word = bytearray()
        in_double = in_single = done = False
        while not done:
            if in_double:
                if i >= n or line[i] == 0:
                    raise _unbalanced()
                b = line[i]
                if b == 0x5C and i + 3 < n and line[i + 1] == 0x78 and line[i + 2] in _HEX and line[i + 3] in _HEX:
                    word.append(int(line[i + 2:i + 4], 16))
                    i += 3
                elif b == 0x5C and i + 1 < n and line[i + 1] != 0:
                    i += 1
                    word.append(_ESCAPES.get(line[i], line[i]))
                elif b == 0x22:
                    if i + 1 < n and line[i + 1] not in _SPACE and line[i + 1] != 0:
                        raise _unbalanced()  # a closing quote must end its word
                    done = True
                else:
                    word.append(b)
            elif in_single:
                if i >= n or line[i] == 0:
                    raise _unbalanced()
                b = line[i]
                if b == 0x5C and i + 1 < n and line[i + 1] == 0x27:
                    i += 1
                    word.append(0x27)
                elif b == 0x27:
                    if i + 1 < n and line[i + 1] not in _SPACE and line[i + 1] != 0:
                        raise _unbalanced()
                    done = True
                else:
                    word.append(b)
            elif i >= n:
                done = True
            else:
                b = line[i]
                if b in b" \n\r\t\x00":
                    done = True
                elif b == 0x22:
                    in_double = True
                elif b == 0x27:
                    in_single = True
                else:
                    word.append(b)
            if i < n:
                i += 1
        if len(words) == limits.MAX_ARGUMENTS:
            raise ProtocolError("too many arguments (expected: <= %d)" % limits.MAX_ARGUMENTS)
        words.append(bytes(word))


class RequestParser:
    """Requests out of a byte stream fed in pieces of any size, within the limits; memory grows only with bytes received.

    ``feed(data)`` keeps the bytes; ``next()`` returns the next complete request (a list of bytes), or None until more
    arrives; it raises ProtocolError on malformed framing, after which the connection must be closed.
    """

    def __init__(self):
        self._buf = bytearray()
        self._pos = 0
        self._args = None  # the multibulk request in progress: its arguments so far
        self._expected = 0
        self._request_bytes = 0  # bytes of the request in progress consumed so far

    def feed(self, data):
        if self._pos:
            del self._buf[:self._pos]
            self._pos = 0
        self._buf += data

    def idle(self):
        """No request partly received: closing now loses nothing the client finished sending."""
        return self._args is None and self._pos >= len(self._buf)

    def _consume(self, count):
        self._pos += count
        self._request_bytes += count
        if self._request_bytes > limits.MAX_REQUEST_BYTES:
            raise ProtocolError("request too large (expected: <= %d bytes in all)" % limits.MAX_REQUEST_BYTES)

    def _line(self, max_bytes, what):
        """The next line without its CRLF (or LF), consumed; None if it has not all arrived. Bounded as Java bounds it."""
        end = self._buf.find(b"\n", self._pos)
        available = (end if end >= 0 else len(self._buf)) - self._pos
        if available > max_bytes + 1:  # one byte of slack for the '\r' before '\n'
            raise ProtocolError("%s too long (expected: <= %d bytes)" % (what, max_bytes))
        if end < 0:
            return None
        line = bytes(self._buf[self._pos:end])
        if line.endswith(b"\r"):
            line = line[:-1]
        if len(line) > max_bytes:
            raise ProtocolError("%s too long (expected: <= %d bytes)" % (what, max_bytes))
        self._consume(end + 1 - self._pos)
        return line

    def next(self):
        while True:
            if self._args is None:
                if self._pos >= len(self._buf):
                    return None
                if self._buf[self._pos] != 0x2A:  # not '*': an inline request
                    line = self._line(limits.MAX_INLINE_BYTES, "inline request")
                    if line is None:
                        return None
                    self._request_bytes = 0
                    words = split_inline(line)
                    if words:
                        return words
                    continue
                end = self._buf.find(b"\n", self._pos)
                if end < 0 and len(self._buf) - self._pos - 1 > limits.MAX_INLINE_BYTES + 1:
                    raise ProtocolError("multibulk length too long (expected: <= %d bytes)" % limits.MAX_INLINE_BYTES)
                if end < 0:
                    return None
                self._consume(1)
                line = self._line(limits.MAX_INLINE_BYTES, "multibulk length")
                count = decimal(line)
                if not is_number(count) or count > limits.MAX_ARGUMENTS:
                    raise ProtocolError("invalid multibulk length: '%s' (expected: 0..%d)" % (quote(line), limits.MAX_ARGUMENTS))
                if count <= 0:  # as in Redis: an empty or null multibulk is no request at all
                    self._request_bytes = 0
                    continue
                self._args = []
                self._expected = count
            argument = self._bulk()
            if argument is None:
                return None
            self._args.append(argument)
            if len(self._args) == self._expected:
                request, self._args = self._args, None
                self._request_bytes = 0
                return request

    def _bulk(self):
        """The next bulk string of a multibulk, consumed with its CRLF; None if it has not all arrived."""
        end = self._buf.find(b"\n", self._pos)
        if end < 0:
            if len(self._buf) - self._pos > limits.MAX_INLINE_BYTES + 1:
                raise ProtocolError("bulk length too long (expected: <= %d bytes)" % limits.MAX_INLINE_BYTES)
            return None
        header = bytes(self._buf[self._pos:end])
        header = header[:-1] if header.endswith(b"\r") else header
        if len(header) > limits.MAX_INLINE_BYTES:
            raise ProtocolError("bulk length too long (expected: <= %d bytes)" % limits.MAX_INLINE_BYTES)
        if not header or header[0] != 0x24:
            got = "end of line" if not header else "'" + quote(header[:1]) + "'"
            raise ProtocolError("expected '$', got " + got)
        length = decimal(header[1:])
        if not is_number(length) or length < 0 or length > limits.MAX_BULK_BYTES:
            raise ProtocolError("invalid bulk length: '%s' (expected: 0..%d)" % (quote(header[1:]), limits.MAX_BULK_BYTES))
        start = end + 1
        have = len(self._buf) - start
        if have < length:
            # count what has arrived against the request's bound now, as Java does byte by byte
            if self._request_bytes + (end + 1 - self._pos) + have > limits.MAX_REQUEST_BYTES:
                self._consume(end + 1 - self._pos + have)
            return None
        for k, expected in ((length, 0x0D), (length + 1, 0x0A)):
            if have > k and self._buf[start + k] != expected:
                raise ProtocolError("expected CRLF after bulk string, got '%s'" % quote(self._buf[start + k:start + k + 1]))
        if have < length + 2:
            return None
        argument = bytes(self._buf[start:start + length])
        self._consume(start + length + 2 - self._pos)
        return argument
