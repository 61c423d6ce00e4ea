package dev.netplay.common.resp;

/** Malformed framing: the server replies {@code -ERR Protocol error: <message>} and closes the connection. */
public final class ProtocolException extends Exception {
    public ProtocolException(String message) {
        super(message, null, false, false);
    }

    /** The whole reply line a server sends before closing. */
    public byte[] toReply() {
        return Resp.error("Protocol error: " + getMessage());
    }
}
