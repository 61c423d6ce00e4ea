package dev.netplay.common.protocol;

/**
 * What a server must do for one request. Replies that need no waiting are computed by the dispatcher; the rest
 * say what to wait for or stream, and each server model does that in its own way (a timer or a blocked thread).
 */
public sealed interface Action {
    /** Send these bytes. */
    record Reply(byte[] bytes) implements Action {
    }

    /** Wait this long, then reply {@code +OK}. */
    record Sleep(long millis) implements Action {
    }

    /** Reply with a bulk string of this many bytes of {@link DataPattern}. */
    record Data(long length) implements Action {
    }

    /** Reply {@code +OK}, then close the connection. */
    record Quit() implements Action {
    }
}
