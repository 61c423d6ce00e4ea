package dev.netplay.client.load.plan;

import dev.netplay.common.protocol.DataPattern;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** What a reply must be: exact bytes, the DATA pattern of a length, or anything but an error. */
public final class ReplyCheck {
    enum Kind { EXACT_SIMPLE, EXACT_BULK, EXACT_ARRAY, PATTERN, ANY_NON_ERROR }

    final Kind kind;
    final byte[] payload;
    final long length;

    private ReplyCheck(Kind kind, byte[] payload, long length) {
        this.kind = kind;
        this.payload = payload;
        this.length = length;
    }

    /** The reply must equal these RESP bytes (a simple string, a bulk string or an array of bulk-free length). */
    public static ReplyCheck exact(byte[] reply) {
        String text = new String(reply, StandardCharsets.ISO_8859_1);
        int crlf = text.indexOf("\r\n");
        return switch (reply[0]) {
            case '+' -> new ReplyCheck(Kind.EXACT_SIMPLE, Arrays.copyOfRange(reply, 1, crlf), crlf - 1);
            case '$' -> {
                byte[] body = Arrays.copyOfRange(reply, crlf + 2, reply.length - 2);
                yield new ReplyCheck(Kind.EXACT_BULK, body, body.length);
            }
            case '*' -> new ReplyCheck(Kind.EXACT_ARRAY, null, Long.parseLong(text.substring(1, crlf)));
            default -> throw new IllegalArgumentException("cannot check a reply of type " + (char) reply[0]);
        };
    }

    public static ReplyCheck pattern(long length) {
        return new ReplyCheck(Kind.PATTERN, null, length);
    }

    public static ReplyCheck anyNonError() {
        return new ReplyCheck(Kind.ANY_NON_ERROR, null, -1);
    }

    public boolean simple(String content) {
        return kind == Kind.ANY_NON_ERROR
                || kind == Kind.EXACT_SIMPLE && content.equals(new String(payload, StandardCharsets.ISO_8859_1));
    }

    public boolean bulkLength(long bulkLength) {
        return kind == Kind.ANY_NON_ERROR || (kind == Kind.EXACT_BULK || kind == Kind.PATTERN) && bulkLength == length;
    }

    /** Checks bulk bytes {@code [offset, offset + content.readableBytes())}. */
    public boolean bulkContent(long offset, ByteBuf content) {
        switch (kind) {
            case EXACT_BULK -> {
                int n = content.readableBytes();
                if (offset + n > payload.length) {
                    return false;
                }
                for (int i = 0; i < n; i++) {
                    if (content.getByte(content.readerIndex() + i) != payload[(int) offset + i]) {
                        return false;
                    }
                }
                return true;
            }
            case PATTERN -> {
                int n = content.readableBytes();
                for (int i = 0; i < n; i++) {
                    if (content.getByte(content.readerIndex() + i) != DataPattern.expectedByte(offset + i)) {
                        return false;
                    }
                }
                return true;
            }
            case ANY_NON_ERROR -> {
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    public boolean nullBulk() {
        return kind == Kind.ANY_NON_ERROR;
    }

    public boolean integer() {
        return kind == Kind.ANY_NON_ERROR;
    }

    public boolean arrayLength(long count) {
        return kind == Kind.ANY_NON_ERROR || kind == Kind.EXACT_ARRAY && count == length;
    }
}
