package dev.netplay.client.load.connect;

import dev.netplay.client.load.plan.ReplyCheck;
import dev.netplay.client.load.plan.RequestSpec;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.redis.RedisMessage;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One load connection. Closed model: send {@code pipeline} requests, wait for every reply, send again. Open model:
 * send at planned times (a fixed share of the total rate); latency counts from the planned time, so a server that
 * stalls cannot hide the requests that waited behind the stall (wrk2's coordinated-omission correction).
 */
final class LoadConnection extends SimpleChannelInboundHandler<RedisMessage> {
    private final ConnectionKeeper keeper;
    private final ReplyAssembler assembler;
    /** It got a reply (any): the server took it. */
    private boolean answeredOnce;
    private final long[] sentAt;
    private final long[] plannedAt;
    /** With unique payloads: the check of each request in flight; else null. */
    private final ReplyCheck[] checks;
    /** With a mix: the request in flight at each slot, drawn by weight. */
    private final RequestSpec[] slotSpecs;
    private final long id;
    private long sequence;
    private int nextReply;
    private int outstanding;
    /** Send time of the oldest unanswered request, 0 when none; read by the timeout sweep on another thread. */
    private volatile long oldestSentAt;
    private long nextPlanned;
    private Channel channel;
    private boolean timedOut;

    LoadConnection(ConnectionKeeper keeper) {
        this.keeper = keeper;
        this.assembler = new ReplyAssembler(keeper.plan().request().check());
        this.sentAt = new long[keeper.plan().pipeline()];
        this.plannedAt = new long[keeper.plan().pipeline()];
        boolean mixed = keeper.plan().mix() != null;
        this.checks = keeper.plan().uniquePayloads() || mixed ? new ReplyCheck[keeper.plan().pipeline()] : null;
        this.slotSpecs = mixed ? new RequestSpec[keeper.plan().pipeline()] : null;
        this.id = keeper.nextConnectionId();
    }

    /** The request to send next, and (with unique payloads) what its reply must be, at {@code slot}. */
    private io.netty.buffer.ByteBuf nextRequest(int slot) {
        keeper.counters().sent.increment();
        if (checks == null) {
            return Unpooled.wrappedBuffer(keeper.plan().request().encoded());
        }
        if (slotSpecs != null) {
            RequestSpec spec = keeper.plan().mix().pick(ThreadLocalRandom.current());
            slotSpecs[slot] = spec;
            checks[slot] = spec.check();
            if (slot == 0) {
                assembler.expect(checks[0]);
            }
            return Unpooled.wrappedBuffer(spec.encoded());
        }
        byte[] payload = keeper.plan().request().uniquePayload(id, sequence++);
        checks[slot] = ReplyCheck.exact(dev.netplay.common.resp.Resp.bulk(payload));
        if (slot == 0) {
            assembler.expect(checks[0]);
        }
        return Unpooled.wrappedBuffer(RequestSpec.uniqueEchoRequest(payload));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        keeper.register(this);
        if (keeper.plan().openModel()) {
            // A random phase, so that connections opened together do not send together.
            nextPlanned = System.nanoTime() + ThreadLocalRandom.current().nextLong(Math.max(1, keeper.intervalNanos()));
            scheduleOpen(ctx);
        } else if (keeper.plan().startSpreadNanos() > 0) {
            long delay = ThreadLocalRandom.current().nextLong(keeper.plan().startSpreadNanos());
            ctx.executor().schedule(() -> {
                if (ctx.channel().isActive() && !keeper.stopping()) {
                    sendBatch(ctx);
                }
            }, delay, TimeUnit.NANOSECONDS);
        } else {
            sendBatch(ctx);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, RedisMessage msg) {
        ReplyAssembler.Outcome outcome = assembler.accept(msg);
        if (outcome == null) {
            return;
        }
        if (outcome == ReplyAssembler.Outcome.BROKEN) {
            keeper.counters().wrongReplies.increment(); // arrays nested past any reply of the protocol
            ctx.close();
            return;
        }
        long now = System.nanoTime();
        if (outstanding == 0) {
            // A reply to nothing: the server refused this connection (e.g. max clients) or broke the protocol.
            if (outcome == ReplyAssembler.Outcome.SERVER_ERROR) {
                keeper.counters().connectServerError.increment();
            } else {
                keeper.counters().wrongReply(assembler.got());
            }
            ctx.close();
            return;
        }
        int i = nextReply++;
        outstanding--;
        if (!answeredOnce) {
            answeredOnce = true;
            keeper.answered();
        }
        switch (outcome) {
            case OK -> {
                keeper.counters().completed.increment();
                long latency = keeper.plan().openModel() ? now - plannedAt[i] : now - sentAt[i];
                keeper.counters().latency.recordValue(latency);
                if (keeper.counters().raw != null) {
                    keeper.counters().raw.record(latency);
                }
                if (keeper.plan().openModel()) {
                    keeper.counters().uncorrectedLatency.recordValue(now - sentAt[i]);
                }
                if (slotSpecs != null) {
                    Counters.ByCommand command = keeper.counters().byCommand.get(slotSpecs[i].text());
                    command.completed.increment();
                    command.latency.recordValue(latency);
                }
            }
            case WRONG -> keeper.counters().wrongReply(assembler.got());
            case SERVER_ERROR -> keeper.counters().serverErrors.increment();
            default -> throw new IllegalStateException("a reply outcome with no counter: " + outcome);
        }
        if (outstanding > 0) {
            oldestSentAt = sentAt[nextReply];
            if (checks != null) {
                assembler.expect(checks[nextReply]);
            }
            return;
        }
        oldestSentAt = 0;
        if (keeper.stopping()) {
            return;
        }
        if (keeper.plan().openModel()) {
            scheduleOpen(ctx);
        } else {
            sendBatch(ctx);
        }
    }

    private void sendBatch(ChannelHandlerContext ctx) {
        long now = System.nanoTime();
        int n = sentAt.length;
        for (int i = 0; i < n; i++) {
            sentAt[i] = now;
            ctx.write(nextRequest(i));
        }
        nextReply = 0;
        outstanding = n;
        oldestSentAt = now;
        ctx.flush();
    }

    private void scheduleOpen(ChannelHandlerContext ctx) {
        long delay = nextPlanned - System.nanoTime();
        if (delay <= 0) {
            sendPlanned(ctx);
        } else {
            ctx.executor().schedule(() -> sendPlanned(ctx), delay, TimeUnit.NANOSECONDS);
        }
    }

    private void sendPlanned(ChannelHandlerContext ctx) {
        if (keeper.stopping() || !ctx.channel().isActive()) {
            return;
        }
        long now = System.nanoTime();
        keeper.counters().sendLag.recordValue(Math.max(0, now - nextPlanned));
        plannedAt[0] = nextPlanned;
        sentAt[0] = now;
        nextPlanned += keeper.intervalNanos();
        nextReply = 0;
        outstanding = 1;
        oldestSentAt = now;
        ctx.writeAndFlush(nextRequest(0));
    }

    /** True when no request of this connection awaits its reply; read by the drain at the end of a run. */
    boolean isIdle() {
        return oldestSentAt == 0;
    }

    /** Called from the timeout sweep: true if the oldest request has waited longer than {@code timeoutNanos}. */
    boolean isOverdue(long now, long timeoutNanos) {
        long oldest = oldestSentAt;
        return oldest != 0 && now - oldest > timeoutNanos;
    }

    /** Counts the unanswered requests as timeouts and closes; the keeper opens a fresh connection in its place. */
    void timeOut() {
        channel.eventLoop().execute(() -> {
            if (outstanding > 0 && !timedOut) {
                timedOut = true;
                keeper.counters().timeouts.add(outstanding);
                outstanding = 0;
                oldestSentAt = 0;
                channel.close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!answeredOnce && !keeper.stopping()) {
            keeper.refused(); // closed before its first reply: the server refuses connections now
        }
        if (outstanding > 0) {
            keeper.counters().closedMidRequest.add(outstanding);
        }
        outstanding = 0;
        oldestSentAt = 0;
        keeper.unregister(this);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset or a decoding error: counted through channelInactive as requests lost mid-flight.
        keeper.noteConnectionError(cause);
        ctx.close();
    }

    void close() {
        if (channel != null) {
            channel.close();
        }
    }
}
