package dev.netplay.server.nio;

import dev.netplay.server.backend.BackendErrors;
import dev.netplay.server.backend.BackendSettings;
import dev.netplay.server.backend.BackendStats;
import dev.netplay.server.backend.Gathering;
import dev.netplay.server.backend.ReplyLine;
import dev.netplay.common.protocol.Action;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Backend calls on the loop's own selector: non-blocking channels, connected, written and read as the selector says
 * they can be, as asyncio's streams are. Idle channels wait in a deque; a call beyond
 * {@link BackendSettings#connections()} waits in a queue, at most one request's calls (64) per front connection. A
 * call's deadline is a timer of the loop. Touched by the loop thread only.
 */
final class SelectorBackend {
    private final SelectorServer server;
    private final BackendSettings settings;
    private final BackendStats stats;
    private final BackendSettings.Requests requests;
    private final ArrayDeque<BackendChannel> idle = new ArrayDeque<>();
    /** Calls waiting for a channel, oldest first; a set, so that a cancelled one leaves it at once. */
    private final java.util.LinkedHashSet<Call> waiting = new java.util.LinkedHashSet<>();
    private final Set<BackendChannel> open = new HashSet<>();
    /** Calls under way in the order they began: every call has the same timeout, so this is their deadlines' order. */
    private final java.util.LinkedHashSet<Call> underWay = new java.util.LinkedHashSet<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocate(BackendSettings.MAX_REPLY_LINE_BYTES + 2);

    SelectorBackend(SelectorServer server, BackendSettings settings, BackendStats stats) {
        this.server = server;
        this.settings = settings;
        this.stats = stats;
        this.requests = new BackendSettings.Requests(settings);
    }

    /** One call: waiting for a channel, then on one. */
    final class Call {
        final Gathering calls;
        final int index;
        final byte[] request;
        final long deadline = System.nanoTime() + settings.timeout().toNanos();
        BackendChannel channel;
        boolean ended;

        Call(Gathering calls, int index, byte[] request) {
            this.calls = calls;
            this.index = index;
            this.request = request;
        }

        void end(byte[] error) {
            if (ended) {
                return;
            }
            ended = true;
            underWay.remove(this);
            waiting.remove(this);
            stats.callFinished(error != null);
            calls.answered(index, error);
        }
    }

    /** Starts {@code fetch}'s calls; {@code done} gets the reply on the loop, never within this call. */
    Gathering start(Action.Fetch fetch, Consumer<byte[]> done) {
        Gathering calls = new Gathering(fetch.calls(), done);
        byte[] request = requests.forWait(fetch.millis());
        Call[] each = new Call[fetch.calls()];
        for (int i = 0; i < fetch.calls(); i++) {
            Call call = new Call(calls, i, request);
            each[i] = call;
            stats.callStarted();
            underWay.add(call);
            server.nextTurn(() -> dispatch(call));
        }
        calls.onCancel(() -> {
            for (Call call : each) {
                cancel(call);
            }
        });
        return calls;
    }

    /**
     * Its client left: the call ends unanswered now. On a channel, the channel is reset (the reply may still come,
     * so it cannot carry another call; the next waiting call opens a new one); waiting, it leaves the queue.
     */
    private void cancel(Call call) {
        if (call.ended) {
            return;
        }
        call.ended = true;
        underWay.remove(call);
        waiting.remove(call);
        stats.callCancelled();
        BackendChannel channel = call.channel;
        if (channel != null && channel.call == call) {
            channel.call = null;
            channel.reset();
        }
    }

    private void dispatch(Call call) {
        if (call.ended) {
            return;
        }
        BackendChannel idleChannel = idle.pollFirst();
        if (idleChannel != null) {
            idleChannel.send(call);
        } else if (open.size() < settings.connections()) {
            connect(call);
        } else {
            waiting.add(call);
        }
    }

    /** When the oldest call under way times out ({@link System#nanoTime()}); {@link Long#MAX_VALUE}: none is. */
    long nextDeadline() {
        return underWay.isEmpty() ? Long.MAX_VALUE : underWay.iterator().next().deadline;
    }

    /** Ends the calls whose deadline has passed. */
    void expire(long now) {
        while (!underWay.isEmpty()) {
            Call oldest = underWay.iterator().next();
            if (oldest.deadline - now > 0) {
                return;
            }
            timedOut(oldest);
        }
    }

    private void timedOut(Call call) {
        if (call.ended) {
            return;
        }
        BackendChannel channel = call.channel;
        call.end(BackendErrors.timedOut(settings));
        if (channel != null) {
            channel.close(); // its reply may still come: the channel cannot carry another call
        }
    }

    private void connect(Call call) {
        SocketChannel socket = null;
        try {
            socket = SocketChannel.open();
            socket.configureBlocking(false);
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            BackendChannel channel = new BackendChannel(this, socket);
            open.add(channel);
            stats.connectionOpened();
            channel.call = call;
            call.channel = channel;
            if (socket.connect(settings.address())) {
                channel.key = socket.register(server.selector(), SelectionKey.OP_READ, channel);
                channel.write();
            } else {
                channel.key = socket.register(server.selector(), SelectionKey.OP_CONNECT, channel);
            }
        } catch (IOException e) {
            if (call.channel != null) {
                call.channel.close(BackendErrors.unavailable(e, settings));
            } else {
                closeQuietly(socket);
                call.end(BackendErrors.unavailable(e, settings));
            }
        }
    }

    /** A channel was closed, or finished a call and is free: the next waiting call takes its place. */
    void freed(BackendChannel channel, boolean reusable) {
        if (reusable) {
            Call next = nextWaiting();
            if (next != null) {
                channel.send(next);
            } else {
                idle.addFirst(channel);
            }
            return;
        }
        server.nextTurn(() -> { // not at once: with the backend down, each failed connect would start the next
            Call next = nextWaiting();
            if (next != null) {
                connect(next);
            }
        });
    }

    private Call nextWaiting() {
        java.util.Iterator<Call> oldest = waiting.iterator();
        if (!oldest.hasNext()) {
            return null;
        }
        Call next = oldest.next();
        oldest.remove();
        return next;
    }

    /** On the server's stop: every channel closed, every call under way ended. */
    void close() {
        new java.util.ArrayList<>(underWay).forEach(c -> c.end(BackendErrors.unavailable("the server is stopping", settings)));
        waiting.clear();
        new HashSet<>(open).forEach(BackendChannel::close);
    }

    static void closeQuietly(SocketChannel socket) {
        if (socket == null) {
            return;
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
    }

    /** A channel closes: it is no longer idle nor open. */
    void closed(BackendChannel channel) {
        idle.remove(channel);
        open.remove(channel);
        stats.connectionClosed();
    }

    BackendSettings settings() {
        return settings;
    }

    /** The loop's one buffer for the channels' reads. */
    ByteBuffer readBuffer() {
        return readBuffer;
    }
}
