package dev.netplay.server.netty;

import dev.netplay.common.protocol.Requests;

import dev.netplay.common.resp.ByteSource;
import dev.netplay.common.resp.ProtocolException;
import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.common.resp.RequestParser;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.ByteProcessor;

import java.util.List;

/**
 * Frames requests: the shared {@link RequestParser} reads the received bytes where they are (no copy into an array
 * first) and each complete request goes on as a {@code List<byte[]>}. A framing error goes on as a
 * {@link ProtocolFailure}, after the requests before it, and nothing after it is decoded.
 */
final class RespRequestDecoder extends ByteToMessageDecoder {
    /** The reply to a framing error; the connection closes after it. */
    record ProtocolFailure(byte[] reply) {
    }

    private final RequestParser parser = new RequestParser(Requests.COMMAND_NAMES);
    private final ByteBufSource source = new ByteBufSource();
    private boolean failed;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            while (in.isReadable()) {
                in.skipBytes(parser.feed(source.of(in), in.readerIndex(), in.readableBytes()));
                List<byte[]> request = parser.poll();
                if (request == null) {
                    return; // the rest of a request is still to come
                }
                out.add(request);
            }
        } catch (ProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            out.add(new ProtocolFailure(e.toReply()));
        } finally {
            source.of(null);
        }
    }

    /** Whether a request is partly received: the request timeout's clock runs. */
    boolean partial() {
        return !parser.isIdle() || actualReadableBytes() > 0;
    }

    /** Decodes nothing more: the connection is to close after the requests already passed on. */
    void fail() {
        failed = true;
    }

    /** The connection's parser, which its ledger ({@link dev.netplay.server.core.ConnectionLedger}) tunes. */
    RequestParser parser() {
        return parser;
    }

    /** What this decoder holds for requests not yet complete: received bytes not yet parsed, and the parser's buffers. */
    long heldBytes() {
        return parser.heldBytes() + actualReadableBytes();
    }

    /** A ByteBuf as the parser's source, by absolute index. */
    private static final class ByteBufSource implements ByteSource {
        private static final ByteProcessor NEWLINE = new ByteProcessor.IndexOfProcessor((byte) '\n');
        /** Runs up to this long are copied byte by byte (see {@link #copyTo}). */
        private static final int SHORT_COPY_BYTES = 64;
        private ByteBuf buf;

        ByteBufSource of(ByteBuf buf) {
            this.buf = buf;
            return this;
        }

        @Override
        public byte get(int index) {
            return buf.getByte(index);
        }

        @Override
        public int indexOfNewline(int from, int to) {
            return buf.forEachByte(from, to - from, NEWLINE);
        }

        /**
         * Short runs (a request's length lines, a command name) byte by byte: a direct buffer's {@code getBytes} into
         * an array goes through a ByteBuffer duplicate when Netty runs without Unsafe (Java 25's default), an object
         * per copy that only escape analysis removes, and only while the parser's calls inline just so (JMH -prof gc).
         */
        @Override
        public void copyTo(int index, byte[] dst, int dstIndex, int length) {
            if (length <= SHORT_COPY_BYTES) {
                for (int i = 0; i < length; i++) {
                    dst[dstIndex + i] = buf.getByte(index + i);
                }
            } else {
                buf.getBytes(index, dst, dstIndex, length);
            }
        }
    }
}
