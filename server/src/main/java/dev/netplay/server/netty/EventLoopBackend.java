package dev.netplay.server.netty;

import dev.netplay.server.backend.BackendErrors;
import dev.netplay.server.backend.BackendSettings;
import dev.netplay.server.backend.BackendStats;
import dev.netplay.server.backend.Gathering;
import dev.netplay.common.protocol.Action;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.pool.AbstractChannelPoolHandler;
import io.netty.channel.pool.AbstractChannelPoolMap;
import io.netty.channel.pool.ChannelHealthChecker;
import io.netty.channel.pool.FixedChannelPool;
import io.netty.util.concurrent.Future;

import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Backend calls as an event loop makes them: each loop has its own pool of backend channels on that same loop
 * (Netty's {@link FixedChannelPool}), so a front connection's calls never leave its thread. A GATHER writes all its
 * calls at once and counts the replies; nothing blocks. A pool holds at most its share of
 * {@link BackendSettings#connections()}; calls beyond it wait for a channel, at most one request's calls (64) per
 * live front connection: a departed client's calls are cancelled, so that wait is bounded by the connections
 * themselves.
 */
final class EventLoopBackend implements AutoCloseable {
    private final BackendSettings settings;
    private final BackendStats stats;
    private final BackendSettings.Requests requests;
    private final AbstractChannelPoolMap<EventLoop, FixedChannelPool> pools;

    EventLoopBackend(BackendSettings settings, BackendStats stats, Transport transport, int loops) {
        this.settings = settings;
        this.stats = stats;
        this.requests = new BackendSettings.Requests(settings);
        int perLoop = Math.max(1, (settings.connections() + loops - 1) / loops);
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        Bootstrap bootstrap = new Bootstrap()
                .channel(transport.socketChannelClass())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                .remoteAddress(settings.address());
        this.pools = new AbstractChannelPoolMap<>() {
            @Override
            protected FixedChannelPool newPool(EventLoop loop) {
                return new FixedChannelPool(bootstrap.clone(loop), new AbstractChannelPoolHandler() {
                    @Override
                    public void channelCreated(Channel ch) {
                        ch.pipeline().addLast(new BackendHandler(settings, stats));
                    }
                }, ChannelHealthChecker.ACTIVE, FixedChannelPool.AcquireTimeoutAction.FAIL, timeoutMillis, perLoop,
                        Integer.MAX_VALUE); // bounded by construction: one request's calls per front connection
            }
        };
    }

    /** Starts {@code fetch}'s calls from {@code loop}, the front connection's; {@code done} gets the reply there. */
    Gathering start(EventLoop loop, Action.Fetch fetch, Consumer<byte[]> done) {
        FixedChannelPool pool = pools.get(loop);
        Gathering calls = new Gathering(fetch.calls(), done);
        byte[] request = requests.forWait(fetch.millis());
        Call[] each = new Call[fetch.calls()];
        for (int i = 0; i < fetch.calls(); i++) {
            each[i] = new Call(pool, calls, i);
        }
        calls.onCancel(() -> {
            for (Call call : each) {
                call.cancel();
            }
        });
        for (Call call : each) {
            call.start(request);
        }
        return calls;
    }

    /** One call: waiting for a channel of the loop's pool, then on it; ended once (answered or cancelled). */
    private final class Call {
        private final FixedChannelPool pool;
        private final Gathering calls;
        private final int index;
        /** The channel carrying it; null while it waits for one, and once it is back. */
        private Channel channel;
        private boolean ended;

        Call(FixedChannelPool pool, Gathering calls, int index) {
            this.pool = pool;
            this.calls = calls;
            this.index = index;
        }

        void start(byte[] request) {
            stats.callStarted();
            long deadline = System.nanoTime() + settings.timeout().toNanos();
            Future<Channel> acquired = pool.acquire();
            acquired.addListener(f -> {
                if (!f.isSuccess()) {
                    end(f.cause() instanceof TimeoutException ? BackendErrors.timedOut(settings)
                            : BackendErrors.unavailable(f.cause(), settings));
                    return;
                }
                Channel ch = acquired.getNow();
                if (ended) {
                    pool.release(ch); // cancelled while it waited: the channel goes to the next call at once
                    return;
                }
                channel = ch;
                BackendHandler handler = ch.pipeline().get(BackendHandler.class);
                handler.call(request, deadline - System.nanoTime(), (error, reusable) -> {
                    channel = null;
                    if (!reusable) {
                        ch.close();
                    }
                    pool.release(ch);
                    end(error);
                });
            });
        }

        private void end(byte[] error) {
            if (ended) {
                return;
            }
            ended = true;
            stats.callFinished(error != null);
            calls.answered(index, error);
        }

        /**
         * Its client left: a call on a channel resets it (the reply may still come, so the channel cannot carry
         * another call; the pool opens a new one for the next), a call still waiting gives its turn away.
         */
        void cancel() {
            if (ended) {
                return;
            }
            ended = true;
            stats.callCancelled();
            if (channel != null) {
                // a reset: a graceful close reads as a half-close to the backend, which would keep the call's
                // work (a SLEEP) and the connection until it answered
                channel.config().setOption(io.netty.channel.ChannelOption.SO_LINGER, 0);
                channel.close();
            }
        }
    }

    @Override
    public void close() {
        pools.close();
    }

}
