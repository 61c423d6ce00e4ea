package dev.netplay.client.load.connect;

import dev.netplay.client.load.plan.LoadPlan;
import dev.netplay.client.load.plan.Target;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.redis.RedisDecoder;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Holds a target's connection count at the level: opens connections at the ramp rate, replaces those that fail or
 * time out, and at the end waits for the replies still due and closes them all. The load connections report here.
 */
public final class ConnectionKeeper {
    private static final long KEEPER_PERIOD_MILLIS = 10;
    private static final long SWEEP_PERIOD_MILLIS = 100;
    /** Largest burst of connects launched at once, in keeper periods' worth of the ramp rate. */
    private static final double MAX_BURST_PERIODS = 5;
    /**
     * When a server refuses ({@link #REFUSALS_BEFORE_BACKOFF} failed connects or connections closed before their
     * first reply, with none answered between them), new connects wait: this long at first, doubling up to
     * {@link #MAX_BACKOFF_MILLIS}, until a connection is answered again. So a server that refuses thousands costs the
     * client a burst a second, not a connect storm, and the level measures the server (its refusals still counted);
     * a few failures in a ramp (a full accept queue) change nothing.
     */
    static final int REFUSALS_BEFORE_BACKOFF = 200;
    static final long FIRST_BACKOFF_MILLIS = 10;
    static final long MAX_BACKOFF_MILLIS = 1_000;
    private int refusedInARow;
    private long backoffMillis;
    private long retryAfterNanos;

    private final LoadPlan plan;
    private final Target target;
    private final EventLoopGroup group;
    private final Counters counters;
    private final Bootstrap bootstrap;
    private final Set<LoadConnection> connections = ConcurrentHashMap.newKeySet();
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger connecting = new AtomicInteger();
    private final AtomicLong connectionIds = new AtomicLong();
    private volatile int desired;
    private volatile boolean stopping;
    private volatile long intervalNanos = 1;
    private volatile String lastError;
    private double connectBudget;
    private int nextSource;
    private ScheduledFuture<?> keeper;
    private ScheduledFuture<?> sweeper;

    public ConnectionKeeper(LoadPlan plan, Target target, EventLoopGroup group, Class<? extends Channel> channelClass, Counters counters) {
        this.plan = plan;
        this.target = target;
        this.group = group;
        this.counters = counters;
        this.bootstrap = new Bootstrap().group(group).channel(channelClass)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) plan.connectTimeout().toMillis())
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new RedisDecoder());
                        if (plan.password() != null) {
                            ch.pipeline().addLast(new AuthHandshake(ConnectionKeeper.this, plan.password()));
                        }
                        ch.pipeline().addLast(new LoadConnection(ConnectionKeeper.this));
                    }
                });
    }

    public void start() {
        keeper = group.next().scheduleAtFixedRate(this::keepConnections, 0, KEEPER_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
        sweeper = group.next().scheduleAtFixedRate(this::sweepTimeouts, SWEEP_PERIOD_MILLIS, SWEEP_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** From now on, keep {@code level} connections; in the open model each sends at its share of the rate. */
    public void hold(int level) {
        if (plan.openModel()) {
            intervalNanos = Math.max(1, (long) (level * 1e9 / plan.rate()));
        }
        desired = level;
    }

    /** A ramp may take at most this many times its planned time (connections / ramp rate) while it still gains. */
    static final int RAMP_OVERRUN = 4;

    /** Waits until the level's connections are up, or they had time enough to be, calling {@code tick} meanwhile. */
    public void awaitRamp(int level, Runnable tick) throws InterruptedException {
        int deficit = Math.max(0, level - active.get());
        long start = System.nanoTime();
        long planned = (long) (deficit * 1e9 / plan.rampRate());
        long patience = plan.connectTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
        // Past the planned pace, a ramp that still gains connections is waited for (up to RAMP_OVERRUN times its
        // plan): a window opened mid-ramp measures the client's connecting, not the level. A cold client at 19,000
        // fell that far behind; the wait ends when the connections stop coming for a connect timeout (refusals).
        long giveUp = start + RAMP_OVERRUN * planned + patience;
        int seen = active.get();
        long lastGain = start;
        while (active.get() < level) {
            long now = System.nanoTime();
            if (active.get() > seen) {
                seen = active.get();
                lastGain = now;
            }
            if (now > giveUp || (now > start + planned + patience && now - lastGain > patience)) {
                break;
            }
            tick.run();
            Thread.sleep(KEEPER_PERIOD_MILLIS);
        }
    }

    public int active() {
        return active.get();
    }

    /** The last connection error seen, for the level's note; null if none. */
    public String lastError() {
        return lastError;
    }

    /** Opens no more; waits (up to the request timeout) for the replies still due, then closes every connection. */
    public void stop() throws InterruptedException {
        stopping = true;
        if (keeper != null) {
            keeper.cancel(false);
        }
        long deadline = System.nanoTime() + plan.timeout().toNanos();
        while (System.nanoTime() < deadline && !connections.stream().allMatch(LoadConnection::isIdle)) {
            Thread.sleep(KEEPER_PERIOD_MILLIS);
        }
        if (sweeper != null) {
            sweeper.cancel(false);
        }
        for (Channel ch : channels) {
            ch.close();
        }
        for (Channel ch : channels) {
            ch.closeFuture().await(plan.connectTimeout().toMillis());
        }
    }

    // What the load connections read and report.

    LoadPlan plan() {
        return plan;
    }

    Counters counters() {
        return counters;
    }

    boolean stopping() {
        return stopping;
    }

    long intervalNanos() {
        return intervalNanos;
    }

    long nextConnectionId() {
        return connectionIds.incrementAndGet();
    }

    void register(LoadConnection c) {
        connections.add(c);
    }

    void unregister(LoadConnection c) {
        connections.remove(c);
    }

    void noteConnectionError(Throwable cause) {
        lastError = cause.toString();
    }

    /** A connect failed, or a connection closed before its first reply: the next connects wait a little longer. */
    synchronized void refused() {
        if (++refusedInARow < REFUSALS_BEFORE_BACKOFF) {
            return;
        }
        backoffMillis = backoffMillis == 0 ? FIRST_BACKOFF_MILLIS : Math.min(MAX_BACKOFF_MILLIS, backoffMillis * 2);
        retryAfterNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(backoffMillis);
    }

    /** A connection got its first reply: the server takes connections again. */
    synchronized void answered() {
        refusedInARow = 0;
        backoffMillis = 0;
    }

    private synchronized boolean backingOff(long now) {
        return backoffMillis > 0 && now - retryAfterNanos < 0;
    }

    /** Opens at most the ramp rate's worth of connections per period, up to the level. */
    private void keepConnections() {
        if (stopping || backingOff(System.nanoTime())) {
            return;
        }
        double perPeriod = plan.rampRate() * KEEPER_PERIOD_MILLIS / 1000.0;
        connectBudget = Math.min(connectBudget + perPeriod, Math.max(1, perPeriod * MAX_BURST_PERIODS));
        int deficit = desired - active.get() - connecting.get();
        int n = (int) Math.min(deficit, Math.floor(connectBudget));
        for (int i = 0; i < n; i++) {
            connectOne();
        }
        if (n > 0) {
            connectBudget -= n;
        }
    }

    private void connectOne() {
        connecting.incrementAndGet();
        counters.connectAttempted.increment();
        long start = System.nanoTime();
        ChannelFuture f;
        if (plan.sourceAddresses().isEmpty()) {
            f = bootstrap.connect(target.address());
        } else {
            InetSocketAddress local = new InetSocketAddress(plan.sourceAddresses().get(nextSource++ % plan.sourceAddresses().size()), 0);
            f = bootstrap.connect(target.address(), local);
        }
        f.addListener((ChannelFuture done) -> {
            if (done.isSuccess()) {
                counters.connectEstablished.increment();
                counters.connectTime.recordValue(System.nanoTime() - start);
                active.incrementAndGet();
                Channel ch = done.channel();
                channels.add(ch);
                ch.closeFuture().addListener(closed -> {
                    active.decrementAndGet();
                    channels.remove(ch);
                });
            } else {
                lastError = done.cause().toString();
                counters.connectFailed(ConnectFailure.of(done.cause()));
                refused();
            }
            connecting.decrementAndGet();
        });
    }

    private void sweepTimeouts() {
        long now = System.nanoTime();
        long timeout = plan.timeout().toNanos();
        for (LoadConnection c : connections) {
            if (c.isOverdue(now, timeout)) {
                c.timeOut();
            }
        }
    }
}
