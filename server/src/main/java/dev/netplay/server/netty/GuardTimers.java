package dev.netplay.server.netty;

import dev.netplay.server.core.ConnectionLedger;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * One netty connection's two guards as timers of its event loop, the ledger judging: the request timeout's (armed
 * while a request is partly received) and the write timeout's (armed while replies wait to be written; progress
 * judged as Netty's IdleStateHandler with observeOutput judges it, without a promise per write).
 */
final class GuardTimers {
    private static final Logger log = LoggerFactory.getLogger(GuardTimers.class);
    /** What the timers ask of, and tell, their connection. */
    interface Watched {
        boolean closing();

        /** Whether the server holds the client back now (does not read it): the time is not the client's. */
        boolean heldBack();

        /** The request timed out: send {@code reply} after the replies before it, as the last, and close. */
        void requestTimedOut(byte[] reply);

        /** The replies made no progress for the write timeout: close with a reset. */
        void writeStalled();
    }

    private final EventExecutor loop;
    private final ConnectionLedger ledger;
    private final Watched connection;
    /** Whether a request is partly received. */
    private final RespRequestDecoder decoder;
    private ScheduledFuture<?> requestTimer;
    private ScheduledFuture<?> writeTimer;
    /** The outbound buffer as the write timer last saw it: whether it moved since. */
    private Object writeSeenMessage;
    private long writeSeenProgress;
    private long writeSeenPending;
    private long writeSeenAt;

    GuardTimers(EventExecutor loop, ConnectionLedger ledger, RespRequestDecoder decoder, Watched connection) {
        this.loop = loop;
        this.decoder = decoder;
        this.ledger = ledger;
        this.connection = connection;
    }

    /** After a read: the request timeout's clock runs while a request is partly received. */
    void watchRequest() {
        if (connection.closing()) {
            return;
        }
        long now = System.nanoTime();
        ledger.requestProgress(decoder.partial(), false, now);
        long left = ledger.requestTimeLeft(now);
        if (left != Long.MAX_VALUE && requestTimer == null) {
            requestTimer = loop.schedule(this::requestTimerFired, left, TimeUnit.NANOSECONDS);
        }
    }

    private void requestTimerFired() {
        requestTimer = null;
        if (connection.closing()) {
            return;
        }
        long now = System.nanoTime();
        ledger.requestProgress(decoder.partial(), connection.heldBack(), now);
        long left = ledger.requestTimeLeft(now);
        if (left == Long.MAX_VALUE) {
            return;
        }
        byte[] timedOut = ledger.requestTimedOut(now);
        if (timedOut != null) {
            connection.requestTimedOut(timedOut);
            return;
        }
        requestTimer = loop.schedule(this::requestTimerFired, left, TimeUnit.NANOSECONDS);
    }

    /** While replies wait to be written, the write timeout's watch; it ends when they are. */
    void watchWrites(ChannelOutboundBuffer out) {
        long timeout = ledger.writeTimeoutNanos();
        if (timeout == 0 || writeTimer != null || connection.closing() || out == null || out.totalPendingWriteBytes() == 0) {
            return;
        }
        seeWrites(out);
        writeTimer = loop.schedule(() -> writeTimerFired(out), timeout, TimeUnit.NANOSECONDS);
    }

    private void seeWrites(ChannelOutboundBuffer out) {
        writeSeenMessage = out.current();
        writeSeenProgress = out.currentProgress();
        writeSeenPending = out.totalPendingWriteBytes();
        writeSeenAt = System.nanoTime();
    }

    private void writeTimerFired(ChannelOutboundBuffer out) {
        writeTimer = null;
        if (connection.closing() || out.totalPendingWriteBytes() == 0) {
            return;
        }
        boolean moved = out.current() != writeSeenMessage || out.currentProgress() != writeSeenProgress
                || out.totalPendingWriteBytes() != writeSeenPending;
        if (!moved && ledger.writeStalled(writeSeenAt, System.nanoTime())) {
            log.debug("closing a connection: its reply made no progress for {} ms",
                    TimeUnit.NANOSECONDS.toMillis(ledger.writeTimeoutNanos()));
            connection.writeStalled();
            return;
        }
        if (moved) {
            seeWrites(out);
        }
        writeTimer = loop.schedule(() -> writeTimerFired(out),
                ledger.writeTimeoutNanos() - (System.nanoTime() - writeSeenAt), TimeUnit.NANOSECONDS);
    }

    void cancel() {
        if (requestTimer != null) {
            requestTimer.cancel(false);
            requestTimer = null;
        }
        if (writeTimer != null) {
            writeTimer.cancel(false);
            writeTimer = null;
        }
    }
}
