package dev.netplay.server.backend;

import dev.netplay.common.resp.Resp;

/**
 * One FETCH's or GATHER's calls, answered once the last is back: {@code +OK} if every call got the reply asked for,
 * else the error of the first call (in call order) that failed, so that the reply does not depend on which call's
 * answer happened to arrive first. Not thread-safe: an event loop fills it on its own thread, blocking code after
 * joining its calls. An event loop's request waits on {@code whenDone}; {@link #cancel()} when its client left: the
 * backend that started the calls ends them at once ({@link #onCancel}), so that a departed client holds no backend
 * connection and no place in the queue for one, as a proxy cancels its upstream request when its client goes.
 */
public final class Gathering {
    private final int calls;
    private final java.util.function.Consumer<byte[]> whenDone;
    private int answered;
    private int firstFailed = Integer.MAX_VALUE;
    private byte[] error;
    private boolean cancelled;
    private Runnable abort;

    public Gathering(int calls) {
        this(calls, null);
    }

    /** {@code whenDone} gets the request's reply once the last call is back, unless cancelled; null: nobody waits. */
    public Gathering(int calls, java.util.function.Consumer<byte[]> whenDone) {
        if (calls < 1) {
            throw new IllegalArgumentException("calls must be >= 1 (got " + calls + ")");
        }
        this.calls = calls;
        this.whenDone = whenDone;
    }

    /** Call {@code index} (0-based) is back, with {@code error} (an error reply), or null for the reply asked for. */
    public boolean answered(int index, byte[] error) {
        answered++;
        if (error != null && index < firstFailed) {
            firstFailed = index;
            this.error = error;
        }
        if (answered == calls && whenDone != null && !cancelled) {
            whenDone.accept(reply());
        }
        return done();
    }

    /** Nobody is to be answered any more: the request's client left, or the server stops. The calls end now. */
    public void cancel() {
        if (cancelled) {
            return;
        }
        cancelled = true;
        if (abort != null && !done()) {
            abort.run();
        }
    }

    /** How the backend that started the calls ends those still under way when the request is cancelled. */
    public void onCancel(Runnable abort) {
        this.abort = abort;
    }

    public boolean cancelled() {
        return cancelled;
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
