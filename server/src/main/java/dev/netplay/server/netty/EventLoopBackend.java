package dev.netplay.server.netty;

import dev.netplay.common.backend.BackendErrors;
import dev.netplay.common.backend.BackendSettings;
import dev.netplay.common.backend.BackendStats;
import dev.netplay.common.backend.Gathering;
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
 * front connection, so that wait is bounded by the connections themselves.
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
        for (int i = 0; i < fetch.calls(); i++) {
            call(pool, request, i, calls);
        }
        return calls;
    }

    private void call(FixedChannelPool pool, byte[] request, int index, Gathering calls) {
        stats.callStarted();
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        Future<Channel> acquired = pool.acquire();
        acquired.addListener(f -> {
            if (!f.isSuccess()) {
                finished(index, calls, f.cause() instanceof TimeoutException ? BackendErrors.timedOut(settings)
                        : BackendErrors.unavailable(f.cause(), settings));
                return;
            }
            Channel ch = acquired.getNow();
            BackendHandler handler = ch.pipeline().get(BackendHandler.class);
            handler.call(request, deadline - System.nanoTime(), (error, reusable) -> {
                if (!reusable) {
                    ch.close();
                }
                pool.release(ch);
                finished(index, calls, error);
            });
        });
    }

    private void finished(int index, Gathering calls, byte[] error) {
        stats.callFinished(error != null);
        calls.answered(index, error);
    }

    @Override
    public void close() {
        pools.close();
    }

}
