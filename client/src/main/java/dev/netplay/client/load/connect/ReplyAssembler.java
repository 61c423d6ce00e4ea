package dev.netplay.client.load.connect;

import dev.netplay.client.load.plan.ReplyCheck;
import dev.netplay.common.resp.ReplyReader;
import io.netty.handler.codec.redis.ArrayHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringHeaderRedisMessage;
import io.netty.handler.codec.redis.BulkStringRedisContent;
import io.netty.handler.codec.redis.ErrorRedisMessage;
import io.netty.handler.codec.redis.FullBulkStringRedisMessage;
import io.netty.handler.codec.redis.IntegerRedisMessage;
import io.netty.handler.codec.redis.LastBulkStringRedisContent;
import io.netty.handler.codec.redis.RedisMessage;
import io.netty.handler.codec.redis.SimpleStringRedisMessage;

/**
 * Turns the stream of messages from Netty's {@code RedisDecoder} (bulk strings arrive as a header and chunks,
 * arrays as a header and elements) back into whole replies, checking each against a {@link ReplyCheck} as it
 * streams, so a 64 MiB DATA reply is verified without being held in memory.
 */
final class ReplyAssembler {
    /** BROKEN: the server broke the protocol (arrays nested deeper than {@link ReplyReader#MAX_DEPTH}): close. */
    enum Outcome { OK, WRONG, SERVER_ERROR, BROKEN }

    private ReplyCheck check;
    /** Elements still expected by each open array, outermost first. */
    private long[] remaining = new long[4];
    private int depth;
    private boolean ok = true;
    private boolean serverError;
    private long bulkOffset;
    private String errorText;
    /** How the last reply began, as its first line reads (e.g. {@code +FOO}, {@code $5}): what a wrong reply quotes. */
    private String got;

    ReplyAssembler(ReplyCheck check) {
        this.check = check;
    }

    /** The check for the next reply (unique payloads change it per request); set between replies only. */
    void expect(ReplyCheck next) {
        check = next;
    }

    /** The outcome when {@code msg} completes a reply; {@code null} while the reply is incomplete. */
    Outcome accept(RedisMessage msg) {
        boolean top = depth == 0;
        if (top) {
            describe(msg);
        }
        if (msg instanceof FullBulkStringRedisMessage full) {
            if (top) {
                ok &= full.isNull() ? check.nullBulk() : check.bulkLength(full.content().readableBytes())
                        && check.bulkContent(0, full.content());
            }
            return elementDone();
        } else if (msg instanceof BulkStringHeaderRedisMessage header) {
            if (top) {
                ok &= check.bulkLength(header.bulkStringLength());
                bulkOffset = 0;
            }
            return null;
        } else if (msg instanceof BulkStringRedisContent content) {
            if (top) {
                ok &= check.bulkContent(bulkOffset, content.content());
                bulkOffset += content.content().readableBytes();
            }
            return msg instanceof LastBulkStringRedisContent ? elementDone() : null;
        } else if (msg instanceof SimpleStringRedisMessage simple) {
            if (top) {
                ok &= check.simple(simple.content());
            }
            return elementDone();
        } else if (msg instanceof ErrorRedisMessage error) {
            if (top) {
                serverError = true;
                errorText = error.content();
            }
            return elementDone();
        } else if (msg instanceof IntegerRedisMessage) {
            if (top) {
                ok &= check.integer();
            }
            return elementDone();
        } else if (msg instanceof ArrayHeaderRedisMessage array) {
            if (top) {
                ok &= check.arrayLength(array.length());
            }
            if (array.length() <= 0) {
                return elementDone();
            }
            if (depth == ReplyReader.MAX_DEPTH) {
                depth = 0; // nothing more is read from this connection
                ok = true;
                serverError = false;
                return Outcome.BROKEN;
            }
            if (depth == remaining.length) {
                remaining = java.util.Arrays.copyOf(remaining, depth * 2);
            }
            remaining[depth++] = array.length();
            return null;
        }
        ok = false;
        return elementDone();
    }

    /** Longest piece of a reply's first line quoted in a note. */
    private static final int QUOTED_CHARS = 64;

    /** How the last reply began, as its first line reads on the wire (a bulk string with its first bytes). */
    String got() {
        return got;
    }

    /** Keeps how a reply begins: its first line, and a bulk string's first bytes as its first chunk brings them. */
    private void describe(RedisMessage msg) {
        if (!(msg instanceof FullBulkStringRedisMessage) && msg instanceof BulkStringRedisContent content) {
            if (bulkOffset == 0 && got != null && got.startsWith("$") && got.indexOf(' ') < 0) {
                got = cut(got + " " + content.content().toString(content.content().readerIndex(),
                        Math.min(QUOTED_CHARS, content.content().readableBytes()), java.nio.charset.StandardCharsets.ISO_8859_1));
            }
            return;
        }
        got = firstLine(msg);
    }

    private static String cut(String line) {
        return line.length() > QUOTED_CHARS ? line.substring(0, QUOTED_CHARS) + "..." : line;
    }

    private static String firstLine(RedisMessage msg) {
        String line;
        if (msg instanceof FullBulkStringRedisMessage full) {
            line = full.isNull() ? "$-1" : "$" + full.content().readableBytes() + " " + full.content().toString(
                    full.content().readerIndex(), Math.min(QUOTED_CHARS, full.content().readableBytes()),
                    java.nio.charset.StandardCharsets.ISO_8859_1);
        } else if (msg instanceof BulkStringHeaderRedisMessage header) {
            line = "$" + header.bulkStringLength();
        } else if (msg instanceof SimpleStringRedisMessage simple) {
            line = "+" + simple.content();
        } else if (msg instanceof ErrorRedisMessage error) {
            line = "-" + error.content();
        } else if (msg instanceof IntegerRedisMessage integer) {
            line = ":" + integer.value();
        } else if (msg instanceof ArrayHeaderRedisMessage array) {
            line = "*" + array.length();
        } else {
            line = msg.getClass().getSimpleName();
        }
        return cut(line);
    }

    /** The server's error text of the last reply, if it was an error. */
    String errorText() {
        return errorText;
    }

    private Outcome elementDone() {
        while (depth > 0) {
            if (--remaining[depth - 1] > 0) {
                return null;
            }
            depth--;
        }
        Outcome outcome = serverError ? Outcome.SERVER_ERROR : ok ? Outcome.OK : Outcome.WRONG;
        ok = true;
        serverError = false;
        return outcome;
    }
}
