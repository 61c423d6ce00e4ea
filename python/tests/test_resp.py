"""The wire, on bytes made up here: framing, quoting, numbers, limits."""

import unittest

from netplay_py import limits
from netplay_py.resp import NOT_A_NUMBER, TOO_LONG, ProtocolError, RequestParser, decimal, quote, split_inline


def requests(*pieces):
    """Every request the pieces make, fed one piece at a time."""
    parser = RequestParser()
    out = []
    for piece in pieces:
        parser.feed(piece)
        while True:
            request = parser.next()
            if request is None:
                break
            out.append(request)
    return out


class DecimalsAreReadAsRedisReadsThem(unittest.TestCase):
    def test_digits_with_an_optional_minus(self):
        self.assertEqual(decimal(b"123"), 123)
        self.assertEqual(decimal(b"-5"), -5)

    def test_anything_else_is_not_a_number(self):
        for text in (b"", b"-", b"1e3", b" 1", b"+1", b"0x10"):
            self.assertIs(decimal(text), NOT_A_NUMBER, text)

    def test_more_than_eighteen_digits_are_too_long(self):
        self.assertIs(decimal(b"1" * 19), TOO_LONG)
        self.assertEqual(decimal(b"9" * 18), int("9" * 18))


class UserInputIsQuotedPrintably(unittest.TestCase):
    def test_control_bytes_and_quotes_as_hex(self):
        self.assertEqual(quote(b"a'\x00\xff"), "a\\x27\\x00\\xff")

    def test_long_input_is_cut(self):
        self.assertEqual(quote(b"x" * 100), "x" * 64 + "...")


class RequestsAreFramed(unittest.TestCase):
    def test_multibulk_in_one_piece_or_byte_by_byte(self):
        stream = b"*2\r\n$4\r\nECHO\r\n$3\r\na\r\n\r\n*1\r\n$4\r\nPING\r\n"
        self.assertEqual(requests(stream), [[b"ECHO", b"a\r\n"], [b"PING"]])
        self.assertEqual(requests(*[stream[i:i + 1] for i in range(len(stream))]), [[b"ECHO", b"a\r\n"], [b"PING"]])

    def test_inline_words_are_split_as_redis_splits_them(self):
        self.assertEqual(split_inline(b'SET "a b" \'c\\\'d\' "\\x41\\n"'), [b"SET", b"a b", b"c'd", b"A\n"])
        self.assertEqual(requests(b"\r\n\n  PING \t\r\n"), [[b"PING"]])

    def test_empty_and_null_multibulks_are_no_request(self):
        self.assertEqual(requests(b"*0\r\n*-1\r\nPING\r\n"), [[b"PING"]])

    def test_unbalanced_quotes_are_a_protocol_error(self):
        with self.assertRaisesRegex(ProtocolError, "unbalanced quotes in request"):
            requests(b'ECHO "abc\r\n')

    def test_a_bad_multibulk_length_names_the_value_and_the_range(self):
        with self.assertRaisesRegex(ProtocolError, r"invalid multibulk length: 'abc' \(expected: 0..1024\)"):
            requests(b"*abc\r\n")
        with self.assertRaisesRegex(ProtocolError, "invalid multibulk length: '1025'"):
            requests(b"*1025\r\n")

    def test_a_bulk_over_the_limit_is_refused_before_its_bytes_arrive(self):
        with self.assertRaisesRegex(ProtocolError, "invalid bulk length: '%d'" % (limits.MAX_BULK_BYTES + 1)):
            requests(b"*2\r\n$4\r\nECHO\r\n$%d\r\n" % (limits.MAX_BULK_BYTES + 1))

    def test_a_bulk_must_end_in_crlf(self):
        with self.assertRaisesRegex(ProtocolError, "expected CRLF after bulk string, got 'd'"):
            requests(b"*2\r\n$4\r\nECHO\r\n$3\r\nabcd\r\n")

    def test_a_line_over_the_limit_is_refused_without_waiting_for_its_end(self):
        with self.assertRaisesRegex(ProtocolError, "inline request too long"):
            requests(b"x" * (limits.MAX_INLINE_BYTES + 2))

    def test_a_half_received_request_keeps_the_parser_busy(self):
        parser = RequestParser()
        parser.feed(b"*2\r\n$4\r\nECHO\r\n$5\r\nhel")
        self.assertIsNone(parser.next())
        self.assertFalse(parser.idle())


if __name__ == "__main__":
    unittest.main()
