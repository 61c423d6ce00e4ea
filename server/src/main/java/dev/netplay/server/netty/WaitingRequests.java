package dev.netplay.server.netty;

import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Consumer;

/**
 * One netty connection's requests decoded and not yet served (and a framing failure, in its place in the stream),
 * with what they hold in bytes: the read-ahead bound and the client's memory share are counted from it.
 */
final class WaitingRequests {
    /** What a waiting request costs beyond its arguments' bytes: the list and the arrays' headers. */
    private static final int REQUEST_OVERHEAD_BYTES = 64;

    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    private long bytes;

    void add(Object message) {
        waiting.add(message);
        bytes += sizeOf(message);
    }

    Object poll() {
        Object next = waiting.poll();
        if (next != null) {
            bytes -= sizeOf(next);
        }
        return next;
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    long bytes() {
        return bytes;
    }

    /** Empties the queue, handing each request (not a framing failure) to {@code request}; returns how many there were. */
    int drain(Consumer<Object> request) {
        int requests = 0;
        for (Object message : waiting) {
            if (message instanceof List) {
                requests++;
                request.accept(message);
            }
            ReferenceCountUtil.release(message);
        }
        waiting.clear();
        bytes = 0;
        return requests;
    }

    private static long sizeOf(Object message) {
        if (message instanceof List<?> request) {
            long size = REQUEST_OVERHEAD_BYTES;
            for (int i = 0; i < request.size(); i++) { // by index: no iterator made twice per request
                size += ((byte[]) request.get(i)).length + 16;
            }
            return size;
        }
        return REQUEST_OVERHEAD_BYTES;
    }
}
