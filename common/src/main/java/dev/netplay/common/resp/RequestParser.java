package dev.netplay.common.resp;

import dev.netplay.common.limits.Limits;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Incremental parser for RESP2 requests: multibulk ({@code *<n>\r\n} then n {@code $<len>\r\n<bytes>\r\n}) or inline
 * (words split as Redis splits them, quotes and escapes included, ending in {@code \n}, optionally {@code \r\n}; empty lines ignored).
 *
 * <p>Feed it bytes as they arrive, in pieces of any size; it stops after each complete request, so a server can
 * serve requests one at a time and leave the rest of its input unread:
 * <pre>{@code
 * int consumed = parser.feed(buf, off, len);
 * List<byte[]> request = parser.poll(); // null until a request is complete
 * }</pre>
 * Memory grows only with the bytes received, never with lengths announced, and stays within {@link Limits}.
 * After a {@link ProtocolException} the parser is unusable: the connection must be closed.
 *
 * <p>The arguments it returns are read-only: with a {@link Vocabulary}, a command name is a shared array, and a request
 * of a command name alone (a PING) a shared list, so that the commonest requests allocate nothing.
 */
public final class RequestParser {
    private enum State { START, INLINE, MULTIBULK_COUNT, BULK_HEADER, BULK_BODY, BULK_CR, BULK_LF }

    /** Bulk buffers start this small and double as bytes arrive. */
    private static final int INITIAL_BULK_CAPACITY = 256;

    private static final byte[] EMPTY = new byte[0];

    /**
     * Words that requests begin with, command names: a request's first argument received whole in one read and equal
     * (byte for byte) to one of them is that word's shared array, not a copy. Immutable, shared by every parser.
     */
    public static final class Vocabulary {
        public static final Vocabulary NONE = new Vocabulary(List.of());

        private final byte[][] words;
        /** Each word as a request of its own. */
        private final List<List<byte[]>> alone = new ArrayList<>();

        private Vocabulary(Collection<String> words) {
            this.words = words.stream().map(w -> w.getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
            for (byte[] word : this.words) {
                alone.add(List.of(word));
            }
        }

        /** The words, each exactly as a client must send it to get the shared array (list each case a client uses). */
        public static Vocabulary of(Collection<String> words) {
            return new Vocabulary(words);
        }

        /** The index of the word equal to {@code length} bytes of {@code src} from {@code pos}, or -1. */
        private int find(ByteSource src, int pos, int length) {
            for (int w = 0; w < words.length; w++) {
                byte[] word = words[w];
                if (word.length == length && src.matches(pos, word)) {
                    return w;
                }
            }
            return -1;
        }
    }

    private final Vocabulary vocabulary;
    private State state = State.START;
    private byte[] line = new byte[128];
    private int lineLength;
    private int argsExpected;
    /** The arguments so far of a request of more than one; a request of one needs no list until it completes. */
    private List<byte[]> args;
    private int argsReceived;
    private byte[] bulk;
    /** The vocabulary's index of the argument arriving, if it is a shared word; -1 if not. */
    private int word = -1;
    private int bulkLength;
    private int bulkFilled;
    private List<byte[]> completed;
    /** Bytes of the request in progress received so far, bounded by {@link Limits#MAX_REQUEST_BYTES}. */
    private long requestBytes;
    /** Bytes held in the arguments completed so far of the request in progress. */
    private long argsBytes;
    private final ByteSource.OfArray array = new ByteSource.OfArray();

    /** A parser that copies every argument. */
    public RequestParser() {
        this(Vocabulary.NONE);
    }

    /** A parser that shares {@code vocabulary}'s words instead of copying them. */
    public RequestParser(Vocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    /**
     * Consumes bytes from {@code buf[off, off + len)} until one request is complete or the input runs out.
     *
     * @return how many bytes were consumed; the rest belongs to later requests
     * @throws IllegalStateException if the completed request was not taken with {@link #poll()} first
     */
    public int feed(byte[] buf, int off, int len) throws ProtocolException {
        return feed(array.of(buf), off, len);
    }

    /** As {@link #feed(byte[], int, int)}, from {@code buf}'s bytes at indexes {@code [off, off + len)}. */
    public int feed(ByteSource buf, int off, int len) throws ProtocolException {
        if (completed != null) {
            throw new IllegalStateException("poll() the completed request before feeding more bytes");
        }
        int pos = off;
        int end = off + len;
        while (pos < end && completed == null) {
            if (state == State.START) {
                requestBytes = 0;
            }
            int before = pos;
            pos = switch (state) { // one step of the state's own rule; an expression, so a new state must have one
                case START -> start(buf, pos);
                case INLINE -> inline(buf, pos, end);
                case MULTIBULK_COUNT -> multibulkCount(buf, pos, end);
                case BULK_HEADER -> bulkHeader(buf, pos, end);
                case BULK_BODY -> readBulkBody(buf, pos, end);
                case BULK_CR -> bulkCr(buf, pos);
                case BULK_LF -> bulkLf(buf, pos);
            };
            requestBytes += pos - before;
            if (requestBytes > Limits.MAX_REQUEST_BYTES) {
                throw new ProtocolException("request too large (expected: <= " + Limits.MAX_REQUEST_BYTES + " bytes in all)");
            }
        }
        return pos - off;
    }

    /** Memory this parser holds for the request in progress (bytes): arguments so far, the one arriving, the line buffer. */
    public long heldBytes() {
        return argsBytes + (bulk == null ? 0 : bulk.length) + line.length;
    }

    /** The request completed by the last {@link #feed}, as its arguments; {@code null} if none is complete. */
    public List<byte[]> poll() {
        List<byte[]> request = completed;
        completed = null;
        return request;
    }

    /** True when no request is partly received, so closing now loses nothing the client finished sending. */
    public boolean isIdle() {
        return state == State.START && completed == null;
    }

    private boolean lineComplete;
    /** The client has not given the password the server asks for: {@link Limits}' unauthenticated bounds apply. */
    private boolean unauthenticated;

    /** Whether the unauthenticated bounds apply to the requests that follow (until the client authenticates). */
    public void unauthenticated(boolean yes) {
        unauthenticated = yes;
    }

    /** A request's first byte: {@code *} begins a multibulk, anything else an inline request (not consumed). */
    private int start(ByteSource buf, int pos) {
        lineLength = 0;
        if (buf.get(pos) == '*') {
            state = State.MULTIBULK_COUNT;
            return pos + 1;
        }
        state = State.INLINE;
        return pos;
    }

    private int inline(ByteSource buf, int pos, int end) throws ProtocolException {
        int next = unauthenticated
                ? readLine(buf, pos, end, Limits.MAX_UNAUTHENTICATED_INLINE_BYTES, "unauthenticated inline request")
                : readLine(buf, pos, end, Limits.MAX_INLINE_BYTES, "inline request");
        if (lineComplete) {
            finishInline();
        }
        return next;
    }

    private int multibulkCount(ByteSource buf, int pos, int end) throws ProtocolException {
        int next = readLine(buf, pos, end, Limits.MAX_INLINE_BYTES, "multibulk length");
        if (lineComplete) {
            finishMultibulkCount();
        }
        return next;
    }

    private int bulkHeader(ByteSource buf, int pos, int end) throws ProtocolException {
        int next = readLine(buf, pos, end, Limits.MAX_INLINE_BYTES, "bulk length");
        if (lineComplete) {
            finishBulkHeader();
        }
        return next;
    }

    private int bulkCr(ByteSource buf, int pos) throws ProtocolException {
        expectByte(buf.get(pos), (byte) '\r');
        state = State.BULK_LF;
        return pos + 1;
    }

    private int bulkLf(ByteSource buf, int pos) throws ProtocolException {
        expectByte(buf.get(pos), (byte) '\n');
        finishBulk();
        return pos + 1;
    }

    /** Appends bytes up to and including '\n' to {@link #line}; sets {@link #lineComplete} when the line ends. */
    private int readLine(ByteSource buf, int pos, int end, int maxBytes, String what) throws ProtocolException {
        lineComplete = false;
        int newline = buf.indexOfNewline(pos, end);
        int stop = newline >= 0 ? newline : end;
        // One byte of slack for the '\r' that may precede '\n'.
        if (lineLength + (stop - pos) > maxBytes + 1) {
            throw new ProtocolException(what + " too long (expected: <= " + maxBytes + " bytes)");
        }
        appendToLine(buf, pos, stop - pos);
        if (newline < 0) {
            return end;
        }
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
        if (lineLength > maxBytes) {
            throw new ProtocolException(what + " too long (expected: <= " + maxBytes + " bytes)");
        }
        lineComplete = true;
        return newline + 1;
    }

    private void appendToLine(ByteSource buf, int pos, int count) {
        if (lineLength + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
        }
        buf.copyTo(pos, line, lineLength, count);
        lineLength += count;
    }

    /**
     * Splits the inline line into words as Redis does ({@code sdssplitargs}): blanks separate words; "double quotes"
     * take escapes ({@code \\n \\r \\t \\b \\a \\xHH}, any other character after a backslash is itself) and
     * 'single quotes' only {@code \\'}; a closing quote must end its word; a NUL ends the line.
     */
    private void finishInline() throws ProtocolException {
        List<byte[]> words = new ArrayList<>();
        byte[] word = new byte[lineLength];
        int i = 0;
        while (true) {
            while (i < lineLength && isSpace(line[i])) {
                i++;
            }
            if (i >= lineLength || line[i] == 0) {
                break;
            }
            int n = 0;
            boolean inDouble = false;
            boolean inSingle = false;
            boolean done = false;
            while (!done) {
                if (inDouble) {
                    if (i >= lineLength || line[i] == 0) {
                        throw unbalancedQuotes();
                    }
                    byte b = line[i];
                    if (b == '\\' && i + 3 < lineLength && line[i + 1] == 'x' && isHex(line[i + 2]) && isHex(line[i + 3])) {
                        word[n++] = (byte) (Character.digit(line[i + 2], 16) * 16 + Character.digit(line[i + 3], 16));
                        i += 3;
                    } else if (b == '\\' && i + 1 < lineLength && line[i + 1] != 0) {
                        i++;
                        word[n++] = switch (line[i]) {
                            case 'n' -> '\n';
                            case 'r' -> '\r';
                            case 't' -> '\t';
                            case 'b' -> '\b';
                            case 'a' -> 7;
                            default -> line[i];
                        };
                    } else if (b == '"') {
                        if (i + 1 < lineLength && !isSpace(line[i + 1]) && line[i + 1] != 0) {
                            throw unbalancedQuotes(); // a closing quote must end its word
                        }
                        done = true;
                    } else {
                        word[n++] = b;
                    }
                } else if (inSingle) {
                    if (i >= lineLength || line[i] == 0) {
                        throw unbalancedQuotes();
                    }
                    byte b = line[i];
                    if (b == '\\' && i + 1 < lineLength && line[i + 1] == '\'') {
                        i++;
                        word[n++] = '\'';
                    } else if (b == '\'') {
                        if (i + 1 < lineLength && !isSpace(line[i + 1]) && line[i + 1] != 0) {
                            throw unbalancedQuotes();
                        }
                        done = true;
                    } else {
                        word[n++] = b;
                    }
                } else if (i >= lineLength) {
                    done = true;
                } else {
                    switch (line[i]) {
                        case ' ', '\n', '\r', '\t', 0 -> done = true;
                        case '"' -> inDouble = true;
                        case '\'' -> inSingle = true;
                        default -> word[n++] = line[i];
                    }
                }
                if (i < lineLength) {
                    i++;
                }
            }
            if (words.size() == Limits.MAX_ARGUMENTS) {
                throw new ProtocolException("too many arguments (expected: <= " + Limits.MAX_ARGUMENTS + ")");
            }
            words.add(Arrays.copyOf(word, n));
        }
        resetLine();
        state = State.START;
        if (!words.isEmpty()) {
            completed = words;
        }
    }

    private static ProtocolException unbalancedQuotes() {
        return new ProtocolException("unbalanced quotes in request"); // Redis's words
    }

    /** C's isspace, as sdssplitargs skips between words. */
    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == 0x0b || b == '\f' || b == '\r';
    }

    private static boolean isHex(byte b) {
        return Character.digit(b, 16) >= 0;
    }

    private void finishMultibulkCount() throws ProtocolException {
        long count = Decimal.parse(line, 0, lineLength);
        if (!Decimal.isNumber(count) || count > Limits.MAX_ARGUMENTS) {
            throw new ProtocolException("invalid multibulk length: '" + Resp.quote(line, 0, lineLength)
                    + "' (expected: 0.." + Limits.MAX_ARGUMENTS + ")");
        }
        if (unauthenticated && count > Limits.MAX_UNAUTHENTICATED_ARGUMENTS) {
            throw new ProtocolException("unauthenticated multibulk length"); // Redis's words
        }
        resetLine();
        if (count <= 0) {
            // As in Redis: an empty or null multibulk is no request at all.
            state = State.START;
            return;
        }
        argsExpected = (int) count;
        argsReceived = 0;
        args = argsExpected == 1 ? null : new ArrayList<>(argsExpected);
        state = State.BULK_HEADER;
    }

    private void finishBulkHeader() throws ProtocolException {
        if (lineLength == 0 || line[0] != '$') {
            String got = lineLength == 0 ? "end of line" : "'" + Resp.quote(line, 0, 1) + "'";
            throw new ProtocolException("expected '$', got " + got);
        }
        long length = Decimal.parse(line, 1, lineLength - 1);
        if (unauthenticated && Decimal.isNumber(length) && length > Limits.MAX_UNAUTHENTICATED_BULK_BYTES) {
            throw new ProtocolException("unauthenticated bulk length"); // Redis's words, before the general bound
        }
        if (!Decimal.isNumber(length) || length < 0 || length > Limits.MAX_BULK_BYTES) {
            throw new ProtocolException("invalid bulk length: '" + Resp.quote(line, 1, lineLength - 1)
                    + "' (expected: 0.." + Limits.MAX_BULK_BYTES + ")");
        }
        resetLine();
        bulkLength = (int) length;
        bulkFilled = 0;
        bulk = bulkLength == 0 ? EMPTY : null; // made when its first bytes arrive
        word = -1;
        state = bulkLength == 0 ? State.BULK_CR : State.BULK_BODY;
    }

    private int readBulkBody(ByteSource buf, int pos, int end) {
        if (bulk == null) {
            word = argsReceived == 0 && end - pos >= bulkLength ? vocabulary.find(buf, pos, bulkLength) : -1;
            if (word >= 0) {
                bulk = vocabulary.words[word];
                bulkFilled = bulkLength;
                state = State.BULK_CR;
                return pos + bulkLength;
            }
            bulk = new byte[Math.min(bulkLength, INITIAL_BULK_CAPACITY)];
        }
        int count = Math.min(bulkLength - bulkFilled, end - pos);
        if (bulkFilled + count > bulk.length) {
            bulk = Arrays.copyOf(bulk, Math.min(bulkLength, Math.max(bulk.length * 2, bulkFilled + count)));
        }
        buf.copyTo(pos, bulk, bulkFilled, count);
        bulkFilled += count;
        if (bulkFilled == bulkLength) {
            state = State.BULK_CR;
        }
        return pos + count;
    }

    private static void expectByte(byte actual, byte expected) throws ProtocolException {
        if (actual != expected) {
            throw new ProtocolException("expected CRLF after bulk string, got '"
                    + Resp.quote(new byte[] {actual}) + "'");
        }
    }

    private void finishBulk() {
        argsReceived++;
        if (args != null) {
            args.add(bulk);
        }
        argsBytes += bulk.length;
        if (argsReceived == argsExpected) {
            completed = args != null ? args : word >= 0 ? vocabulary.alone.get(word) : List.of(bulk);
            bulk = null;
            args = null;
            argsBytes = 0;
            state = State.START;
        } else {
            bulk = null;
            state = State.BULK_HEADER;
        }
    }

    private void resetLine() {
        lineLength = 0;
        if (line.length > 4096) {
            line = new byte[128]; // don't keep a 64 KiB line buffer for every idle connection
        }
    }
}
