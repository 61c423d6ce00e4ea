package dev.netplay.server.nio;

import dev.netplay.common.protocol.Action;
import dev.netplay.common.protocol.Work;
import dev.netplay.common.resp.Resp;
import dev.netplay.server.backend.Gathering;
import dev.netplay.server.core.ConnectionLedger;

import java.util.concurrent.TimeUnit;

/**
 * How {@link SelectorServer} carries out one connection's actions, the nio model's way of waiting, all on its one
 * thread: a SLEEP is a deadline in the loop's queue, WORK runs in slices between the loop's turns, backend calls go
 * out on the loop's own selector. Meanwhile the connection waits ({@link SelectorConnection#waitForReply()}) and the
 * loop serves the others.
 */
final class SelectorActions implements Action.Visitor<Void, RuntimeException> {
    private final SelectorServer server;
    private final SelectorConnection connection;
    private final ConnectionLedger ledger;
    /** A SLEEP's timer is pending: its reply is due when it fires. */
    private boolean sleeping;
    private Work.Progress working;
    /** A FETCH's or GATHER's calls are pending: the reply is due when the last is back. */
    private Gathering calls;

    /** For the log, should resuming its SLEEP fail. */
    SelectorConnection connection() {
        return connection;
    }

    SelectorActions(SelectorServer server, SelectorConnection connection, ConnectionLedger ledger) {
        this.server = server;
        this.connection = connection;
        this.ledger = ledger;
    }

    @Override
    public Void reply(Action.Reply reply) {
        connection.reply(reply.bytes());
        ledger.finished();
        return null;
    }

    @Override
    public Void sleep(Action.Sleep sleep) {
        connection.waitForReply();
        sleeping = true;
        server.schedule(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sleep.millis()), this);
        return null;
    }

    /** The loop found the connection's SLEEP due. */
    void sleepDone(long deadlineNanos) {
        if (!sleeping || connection.closed()) {
            return;
        }
        sleeping = false;
        ledger.sleepResumed(deadlineNanos);
        connection.complete(Resp.OK);
    }

    @Override
    public Void data(Action.Data data) {
        connection.startData(data.length());
        return null;
    }

    /** WORK on the loop, in slices: between two, the loop serves its other connections. */
    @Override
    public Void work(Action.Work work) {
        Work.Progress progress = work.start();
        if (progress.step(Work.SLICE_ROUNDS)) {
            return reply(new Action.Reply(Action.Work.reply(progress)));
        }
        connection.waitForReply();
        working = progress;
        server.nextTurn(this::continueWork);
        return null;
    }

    private void continueWork() {
        Work.Progress progress = working;
        if (connection.closed() || progress == null) {
            return;
        }
        if (!progress.step(Work.SLICE_ROUNDS)) {
            server.nextTurn(this::continueWork);
            return;
        }
        working = null;
        connection.complete(Action.Work.reply(progress));
    }

    /** The calls go out on the loop's own selector; the connection waits, the loop serves the others. */
    @Override
    public Void fetch(Action.Fetch fetch) {
        connection.waitForReply();
        calls = server.backend().start(fetch, reply -> {
            calls = null;
            if (!connection.closed()) {
                connection.complete(reply);
            }
        });
        return null;
    }

    @Override
    public Void quit(Action.Quit quit) {
        reply(new Action.Reply(Resp.OK));
        connection.closeAfterReplies();
        return null;
    }

    /** The pending action's reply will not be written: its client left, or the server stops. */
    void cancel() {
        sleeping = false;
        working = null;
        if (calls != null) {
            calls.cancel();
            calls = null;
        }
    }
}
