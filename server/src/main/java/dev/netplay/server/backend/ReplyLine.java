package dev.netplay.server.backend;

import java.util.Arrays;

/**
 * Reads one backend reply's first line as its bytes arrive, however they are split: the one rule every model's
 * backend connection uses to decide that a call is answered, and whether as asked.
 */
public final class ReplyLine {
    /** What the bytes fed so far make. */
    public enum State {
        /** The line is not complete yet. */
        PARTIAL,
        /** The line is complete: {@link #line()}. */
        COMPLETE,
        /** Longer than {@link BackendSettings#MAX_REPLY_LINE_BYTES}: not the reply asked for. */
        TOO_LONG
    }

    private final byte[] buffer = new byte[BackendSettings.MAX_REPLY_LINE_BYTES + 2];
    private int length;
    private State state = State.PARTIAL;
    /** Bytes that arrived after the line: a backend that says more than it was asked. */
    private boolean extra;

    /** Feeds one byte; returns the state after it. */
    public State offer(byte b) {
        if (state != State.PARTIAL) {
            extra = true;
            return state;
        }
        if (length == buffer.length) {
            state = State.TOO_LONG;
            return state;
        }
        buffer[length++] = b;
        if (b == '\n' && length >= 2 && buffer[length - 2] == '\r') {
            length -= 2;
            state = State.COMPLETE;
        }
        return state;
    }

    public State state() {
        return state;
    }

    /** The line, CRLF excluded; only when {@link State#COMPLETE}. */
    public byte[] line() {
        return Arrays.copyOf(buffer, length);
    }

    /** Whether the line is the reply asked for. */
    public boolean matches(byte[] expected) {
        return state == State.COMPLETE && Arrays.equals(buffer, 0, length, expected, 0, expected.length);
    }

    /** More bytes came after the line: the connection must not carry another call. */
    public boolean extra() {
        return extra;
    }

    /** The error reply for a complete line that is not the one asked for, or for a line too long; null if it matches. */
    public byte[] error(BackendSettings backend) {
        return switch (state) {
            case PARTIAL -> throw new IllegalStateException("the line is not complete");
            case TOO_LONG -> BackendErrors.lineTooLong(backend);
            case COMPLETE -> matches(backend.replyLine()) ? null : BackendErrors.unexpected(line(), backend);
        };
    }

    /** Ready for the next call's reply. */
    public void reset() {
        length = 0;
        state = State.PARTIAL;
        extra = false;
    }
}
