package dev.netplay.common.resp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads whole RESP2 replies from a blocking stream, as raw bytes, so callers can compare them byte for byte. A server
 * is not trusted: a reply may be at most {@code maxBytes} long (a length announced beyond it fails at once, before
 * anything is allocated), a line at most {@link #MAX_LINE_BYTES}, arrays nested at most {@link #MAX_DEPTH} deep (as
 * hiredis bounds them), and, given a time, whole within it (a server that drips a byte at a time is cut off). What
 * breaks a bound is an {@link IOException} that names it; the connection is then not to be read again.
 */
public final class ReplyReader {
    /** The longest status, error, integer or length line. */
    public static final int MAX_LINE_BYTES = 64 * 1024; // 64 KiB
    /** Arrays within arrays, as hiredis's REDIS_READER_STACK bounds them. */
    public static final int MAX_DEPTH = 7;
    /** Default bound on one reply: the largest DATA reply and its framing. */
    public static final long DEFAULT_MAX_BYTES = dev.netplay.common.limits.Limits.MAX_DATA_BYTES + 1024;

    private final InputStream in;
    private final long maxBytes;
    private final long withinNanos;
    private long read;
    private long deadline;

    public ReplyReader(InputStream in) {
        this(in, DEFAULT_MAX_BYTES, null);
    }

    /** @param within how long one reply may take to arrive whole; null: as long as the stream's own timeouts allow */
    public ReplyReader(InputStream in, long maxBytes, java.time.Duration within) {
        this.in = in;
        this.maxBytes = maxBytes;
        this.withinNanos = within == null ? 0 : within.toNanos();
    }

    /** The next reply, every byte of it, CRLFs included. */
    public byte[] readRaw() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        read = 0;
        deadline = System.nanoTime() + withinNanos;
        readInto(out, 0);
        return out.toByteArray();
    }

    /** The next reply as text (ISO-8859-1, so every byte maps to one char). */
    public String readText() throws IOException {
        return new String(readRaw(), StandardCharsets.ISO_8859_1);
    }

    /** The payload of the next reply if it is a bulk string; fails with the reply otherwise. */
    public byte[] readBulk() throws IOException {
        byte[] raw = readRaw();
        if (raw[0] != '$') {
            throw new IOException("expected a bulk reply, got: " + Resp.quote(raw));
        }
        return payloadOfBulk(raw);
    }

    /** The payload of a whole bulk reply ({@code $<n>\r\n<payload>\r\n}); empty for a null bulk. */
    public static byte[] payloadOfBulk(byte[] raw) {
        int start = indexOfCrlf(raw, 0) + 2;
        if (raw.length - start - 2 < 0) {
            return new byte[0];
        }
        byte[] payload = new byte[raw.length - start - 2];
        System.arraycopy(raw, start, payload, 0, payload.length);
        return payload;
    }

    private void readInto(ByteArrayOutputStream out, int depth) throws IOException {
        String header = readLine(out);
        char type = header.isEmpty() ? ' ' : header.charAt(0);
        switch (type) {
            case '+', '-', ':' -> {
            }
            case '$' -> {
                long length = length(header);
                if (length >= 0) {
                    if (length > maxBytes - read) {
                        throw new IOException("a reply longer than " + maxBytes + " bytes: '" + shown(header) + "'");
                    }
                    copy(out, length + 2);
                }
            }
            case '*' -> {
                if (depth == MAX_DEPTH) {
                    throw new IOException("a reply of arrays nested deeper than " + MAX_DEPTH);
                }
                long count = length(header);
                for (long i = 0; i < count; i++) {
                    readInto(out, depth + 1);
                }
            }
            default -> throw new IOException("not a RESP reply: '" + shown(header) + "'");
        }
    }

    /** A line as an error shows it: escaped, its first 40 characters. */
    private static String shown(String line) {
        String cut = line.length() > 40 ? line.substring(0, 40) : line;
        return Resp.quote(cut.getBytes(StandardCharsets.ISO_8859_1)) + (cut.length() < line.length() ? "..." : "");
    }

    private static long length(String header) throws IOException {
        try {
            return Long.parseLong(header.substring(1));
        } catch (NumberFormatException e) {
            throw new IOException("not a RESP length: '" + shown(header) + "'");
        }
    }

    private int next() throws IOException {
        if (withinNanos > 0 && System.nanoTime() - deadline > 0) {
            throw new java.net.SocketTimeoutException("a reply not whole within "
                    + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(withinNanos) + " ms");
        }
        int b = in.read();
        if (b >= 0 && ++read > maxBytes) {
            throw new IOException("a reply longer than " + maxBytes + " bytes");
        }
        return b;
    }

    private String readLine(ByteArrayOutputStream out) throws IOException {
        StringBuilder line = new StringBuilder();
        int previous = -1;
        while (true) {
            int b = next();
            if (b < 0) {
                throw new EOFException("connection closed mid-reply after '" + line + "'");
            }
            if (line.length() > MAX_LINE_BYTES) {
                throw new IOException("a reply line longer than " + MAX_LINE_BYTES + " bytes");
            }
            out.write(b);
            if (previous == '\r' && b == '\n') {
                line.setLength(line.length() - 1);
                return line.toString();
            }
            line.append((char) b);
            previous = b;
        }
    }

    private void copy(ByteArrayOutputStream out, long count) throws IOException {
        byte[] buf = new byte[8192];
        while (count > 0) {
            if (withinNanos > 0 && System.nanoTime() - deadline > 0) {
                throw new java.net.SocketTimeoutException("a reply not whole within "
                        + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(withinNanos) + " ms");
            }
            int n = in.read(buf, 0, (int) Math.min(buf.length, count));
            if (n < 0) {
                throw new EOFException("connection closed mid-reply, " + count + " bytes short");
            }
            out.write(buf, 0, n);
            read += n;
            count -= n;
        }
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
