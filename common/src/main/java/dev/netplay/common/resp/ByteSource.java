package dev.netplay.common.resp;

/**
 * The bytes {@link RequestParser} reads, by absolute index: an array, or a server's own buffer (the Netty server's
 * {@code ByteBuf}), so that a server hands the parser what it received without copying it first.
 */
public interface ByteSource {
    byte get(int index);

    /** The index of the first {@code '\n'} in {@code [from, to)}, or -1 if there is none. */
    int indexOfNewline(int from, int to);

    /** Copies {@code length} bytes from {@code index} into {@code dst} at {@code dstIndex}. */
    void copyTo(int index, byte[] dst, int dstIndex, int length);

    /** True if the bytes from {@code index} are {@code expected}'s; the caller checks that there are enough. */
    default boolean matches(int index, byte[] expected) {
        for (int i = 0; i < expected.length; i++) {
            if (get(index + i) != expected[i]) {
                return false;
            }
        }
        return true;
    }

    /** A byte array as a source; one per parser, pointed at each array it is fed. */
    final class OfArray implements ByteSource {
        private byte[] bytes;

        OfArray of(byte[] array) {
            this.bytes = array;
            return this;
        }

        @Override
        public byte get(int index) {
            return bytes[index];
        }

        @Override
        public int indexOfNewline(int from, int to) {
            for (int i = from; i < to; i++) {
                if (bytes[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }

        @Override
        public void copyTo(int index, byte[] dst, int dstIndex, int length) {
            System.arraycopy(bytes, index, dst, dstIndex, length);
        }
    }
}
