package dev.netplay.server.netty;

import dev.netplay.common.protocol.DataPattern;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;

/**
 * The payload of one DATA reply, for {@code ChunkedWriteHandler}: chunks of {@link DataPattern#CHUNK_BYTES}, each
 * a slice of the shared pattern buffer. The handler writes a chunk only while the channel is writable, so a
 * client that does not read holds at most a chunk or two of its reply in this server.
 */
final class DataChunks implements ChunkedInput<ByteBuf> {
    private final long length;
    private long written;

    DataChunks(long length) {
        this.length = length;
    }

    @Override
    public boolean isEndOfInput() {
        return written >= length;
    }

    @Override
    public void close() {
        written = length;
    }

    @Override
    @Deprecated
    public ByteBuf readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public ByteBuf readChunk(ByteBufAllocator allocator) {
        if (isEndOfInput()) {
            return null;
        }
        int chunk = (int) Math.min(DataPattern.CHUNK_BYTES, length - written);
        ByteBuf slice = SharedReplies.PATTERN.slice(DataPattern.offsetFor(written), chunk);
        written += chunk;
        return slice;
    }

    @Override
    public long length() {
        return length;
    }

    @Override
    public long progress() {
        return written;
    }
}
