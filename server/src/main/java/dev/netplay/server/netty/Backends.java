package dev.netplay.server.netty;

import dev.netplay.server.threads.BlockingBackend;

/**
 * How this server's connections make backend calls: on their own event loop ({@code loop}), or as blocking code
 * ({@code blocking}) on the offload threads, or on the loop itself (netty-blocking's lesson). Both null: no backend.
 */
record Backends(EventLoopBackend loop, BlockingBackend blocking) {
    static final Backends NONE = new Backends(null, null);
}
