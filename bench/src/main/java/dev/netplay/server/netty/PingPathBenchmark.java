package dev.netplay.server.netty;

import dev.netplay.server.cli.ServerOptions;
import dev.netplay.server.core.CommandDispatcher;
import dev.netplay.server.core.ServerSettings;
import dev.netplay.server.core.ServerStats;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The Netty server's PING path, decode + dispatch + encode, through its own handlers in an {@code EmbeddedChannel}
 * (no socket): what one request costs in time and in allocation ({@code -prof gc}: gc.alloc.rate.norm, bytes per
 * operation). One PING a read, and 16 pipelined in one read (figures per request). Each invocation serves
 * {@link #REQUESTS} requests as an event loop thread would: Netty 4.2 pools its small objects (the outbound buffer's
 * entries, pooled buffers) only on threads that clean their fast thread locals, as its event loops do.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PingPathBenchmark {
    private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int PIPELINED = 16;
    static final int REQUESTS = 1024;

    private EmbeddedChannel channel;
    private ChannelPipeline pipeline;
    private ByteBuf one;
    private ByteBuf sixteen;
    private int replied;
    private final Runnable onePingBatch = () -> {
        for (int i = 0; i < REQUESTS; i++) {
            replied += serve(one);
        }
    };
    private final Runnable sixteenPipelinedBatch = () -> {
        for (int i = 0; i < REQUESTS / PIPELINED; i++) {
            replied += serve(sixteen);
        }
    };

    @Setup(Level.Trial)
    public void setUp() {
        ServerStats stats = new ServerStats();
        ServerSettings settings = new ServerSettings("netty", "embedded", 1, 0, ServerSettings.SLEEP_TIMER, 10);
        channel = new EmbeddedChannel(RespChannelInitializer.embedded(new CommandDispatcher(settings, stats), stats,
                ServerOptions.DEFAULT_IDLE_TIMEOUT)); // the server's own pipeline, with the CLI's idle timeout
        pipeline = channel.pipeline();
        one = Unpooled.directBuffer(PING.length).writeBytes(PING);
        sixteen = Unpooled.directBuffer(PING.length * PIPELINED);
        for (int i = 0; i < PIPELINED; i++) {
            sixteen.writeBytes(PING);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        one.release();
        sixteen.release();
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public int onePing() {
        FastThreadLocalThread.runWithFastThreadLocal(onePingBatch);
        return replied;
    }

    @Benchmark
    @OperationsPerInvocation(REQUESTS)
    public int sixteenPipelined() {
        FastThreadLocalThread.runWithFastThreadLocal(sixteenPipelinedBatch);
        return replied;
    }

    /** One read: the decoder releases the buffer once it has read it all, so it is retained first and rewound. */
    private int serve(ByteBuf request) {
        request.retain().readerIndex(0);
        pipeline.fireChannelRead(request);
        pipeline.fireChannelReadComplete();
        int bytes = 0;
        ByteBuf reply;
        while ((reply = channel.readOutbound()) != null) {
            bytes += reply.readableBytes();
            reply.release();
        }
        return bytes;
    }
}
