package dev.netplay.common.resp;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads whole RESP2 replies from a blocking stream, as raw bytes, so callers can compare them byte for byte. */
public final class ReplyReader {
    private final InputStream in;

    public ReplyReader(InputStream in) {
        this.in = in;
    }

    /** The next reply, every byte of it, CRLFs included. */
    public byte[] readRaw() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        readInto(out);
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

    private void readInto(ByteArrayOutputStream out) throws IOException {
        String header = readLine(out);
        char type = header.charAt(0);
        switch (type) {
            case '+', '-', ':' -> {
            }
            case '$' -> {
                long length = Long.parseLong(header.substring(1));
                if (length >= 0) {
                    copy(out, length + 2);
                }
            }
            case '*' -> {
                long count = Long.parseLong(header.substring(1));
                for (long i = 0; i < count; i++) {
                    readInto(out);
                }
            }
            default -> throw new IOException("not a RESP reply: '" + header + "'");
        }
    }

    private String readLine(ByteArrayOutputStream out) throws IOException {
        StringBuilder line = new StringBuilder();
        int previous = -1;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("connection closed mid-reply after '" + line + "'");
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
            int n = in.read(buf, 0, (int) Math.min(buf.length, count));
            if (n < 0) {
                throw new EOFException("connection closed mid-reply, " + count + " bytes short");
            }
            out.write(buf, 0, n);
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
