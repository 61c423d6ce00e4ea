package dev.netplay.common.resp;

import java.nio.charset.StandardCharsets;

/**
 * RESP encoding: every reply either server sends, and every request the clients send, is built here. RESP2 unless
 * said otherwise; the few RESP3 types netplay's replies need (map, null, verbatim string) take the session's version.
 */
public final class Resp {
    public static final byte[] OK = simple("OK");
    public static final byte[] PONG = simple("PONG");
    public static final byte[] EMPTY_ARRAY = ascii("*0\r\n");
    public static final byte[] CRLF = {'\r', '\n'};
    public static final String MAX_CLIENTS_REACHED = "max number of clients reached";
    /** Longest piece of user input quoted back in an error, so one error stays one short line. */
    static final int MAX_QUOTED_CHARS = 64;

    private Resp() {
    }

    public static byte[] simple(String text) {
        return ascii("+" + text + "\r\n");
    }

    public static byte[] error(String text) {
        return error("ERR", text);
    }

    /** An error with its code, e.g. {@code -NOPROTO unsupported protocol version}. */
    public static byte[] error(String code, String text) {
        return ascii("-" + code + " " + text + "\r\n");
    }

    public static byte[] bulk(byte[] payload) {
        return framed('$', payload);
    }

    /** {@code <type><length>\r\n<payload>\r\n}: a bulk string ({@code $}) or a verbatim string ({@code =}). */
    private static byte[] framed(char type, byte[] payload) {
        byte[] header = ascii(type + Integer.toString(payload.length) + "\r\n");
        byte[] reply = new byte[header.length + payload.length + 2];
        System.arraycopy(header, 0, reply, 0, header.length);
        System.arraycopy(payload, 0, reply, header.length, payload.length);
        reply[reply.length - 2] = '\r';
        reply[reply.length - 1] = '\n';
        return reply;
    }

    public static byte[] bulk(String text) {
        return bulk(text.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] integer(long value) {
        return ascii(":" + value + "\r\n");
    }

    /** The header of a map of {@code entries} pairs: {@code %n} in RESP3, a flat array of 2n elements in RESP2. */
    public static byte[] mapHeader(int entries, boolean resp3) {
        return ascii(resp3 ? "%" + entries + "\r\n" : "*" + (2 * entries) + "\r\n");
    }

    /** No value: RESP3's null, RESP2's null bulk string. */
    public static byte[] nil(boolean resp3) {
        return ascii(resp3 ? "_\r\n" : "$-1\r\n");
    }

    /** Text for people (INFO): RESP3's verbatim string of format {@code txt}, a bulk string in RESP2. */
    public static byte[] verbatim(String text, boolean resp3) {
        if (!resp3) {
            return bulk(text);
        }
        return framed('=', ("txt:" + text).getBytes(StandardCharsets.UTF_8));
    }

    /** Pieces of a reply, concatenated. */
    public static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    public static byte[] bulkHeader(long length) {
        return ascii("$" + length + "\r\n");
    }

    /** A request as clients send it: a multibulk (array of bulk strings) of the arguments. */
    public static byte[] command(byte[]... args) {
        int length = 16;
        for (byte[] arg : args) {
            length += arg.length + 16;
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(length);
        out.writeBytes(ascii("*" + args.length + "\r\n"));
        for (byte[] arg : args) {
            out.writeBytes(bulk(arg));
        }
        return out.toByteArray();
    }

    /** {@link #command(byte[]...)} of UTF-8 words, e.g. {@code command("INFO", "everything")}. */
    public static byte[] command(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.UTF_8);
        }
        return command(bytes);
    }

    /**
     * User bytes made safe to quote inside a one-line error: printable ASCII kept, anything else as {@code \xNN},
     * cut at {@value #MAX_QUOTED_CHARS} characters.
     */
    public static String quote(byte[] bytes, int offset, int length) {
        StringBuilder out = new StringBuilder(Math.min(length, MAX_QUOTED_CHARS) + 8);
        for (int i = offset; i < offset + length; i++) {
            if (out.length() >= MAX_QUOTED_CHARS) {
                out.append("...");
                break;
            }
            int b = bytes[i] & 0xff;
            if (b >= 0x20 && b < 0x7f && b != '\'') {
                out.append((char) b);
            } else {
                out.append(String.format("\\x%02x", b));
            }
        }
        return out.toString();
    }

    public static String quote(byte[] bytes) {
        return quote(bytes, 0, bytes.length);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
