package dev.netplay.common.backend;

import dev.netplay.common.resp.Resp;

/**
 * One FETCH's or GATHER's calls, answered once the last is back: {@code +OK} if every call got the reply asked for,
 * else the error of the first call (in call order) that failed, so that the reply does not depend on which call's
 * answer happened to arrive first. Not thread-safe: an event loop fills it on its own thread, blocking code after
 * joining its calls.
 */
public final class Gathering {
    private final int calls;
    private int answered;
    private int firstFailed = Integer.MAX_VALUE;
    private byte[] error;

    public Gathering(int calls) {
        if (calls < 1) {
            throw new IllegalArgumentException("calls must be >= 1 (got " + calls + ")");
        }
        this.calls = calls;
    }

    /** Call {@code index} (0-based) is back, with {@code error} (an error reply), or null for the reply asked for. */
    public boolean answered(int index, byte[] error) {
        answered++;
        if (error != null && index < firstFailed) {
            firstFailed = index;
            this.error = error;
        }
        return done();
    }

    public boolean done() {
        return answered >= calls;
    }

    public int calls() {
        return calls;
    }

    /** The request's reply; once {@link #done()}. */
    public byte[] reply() {
        return error != null ? error : Resp.OK;
    }
}
