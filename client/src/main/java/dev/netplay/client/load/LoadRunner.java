package dev.netplay.client.load;

import dev.netplay.client.load.plan.LoadPlan;
import dev.netplay.client.load.plan.Password;
import dev.netplay.client.load.plan.StartSchedule;
import dev.netplay.client.load.plan.Target;
import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.Machine;
import dev.netplay.client.results.ResultsFiles;
import dev.netplay.client.results.RunResult;
import dev.netplay.client.results.SummaryTable;
import dev.netplay.client.results.TargetResult;
import dev.netplay.common.cli.Units;
import dev.netplay.common.resp.Resp;
import io.netty.channel.Channel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;

import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a validated plan against each target in turn, prints the summary, writes the results. */
public final class LoadRunner {
    private final LoadPlan plan;
    private final PrintStream out;
    private final Progress progress;

    public LoadRunner(LoadPlan plan, PrintStream out, Progress progress) {
        this.plan = plan;
        this.out = out;
        this.progress = progress;
    }

    /**
     * Fails before any load if a target does not serve a connection: unreachable, refused (protected mode, max
     * clients), asking for a password not given, or not taking the one given.
     */
    public void checkReachable() {
        for (Target t : plan.targets()) {
            String refusal;
            try (Socket s = new Socket()) {
                s.connect(t.address(), (int) plan.connectTimeout().toMillis());
                s.setSoTimeout((int) plan.connectTimeout().toMillis());
                if (plan.password() != null) {
                    plan.password().authenticate(s.getOutputStream(), s.getInputStream());
                }
                s.getOutputStream().write(Resp.command("PING"));
                s.getOutputStream().flush();
                String reply = Password.readLine(s.getInputStream());
                refusal = reply.startsWith("-NOAUTH") ? "it asks for a password (" + reply + "); give --password env:NAME or file:PATH"
                        : reply.startsWith("-") ? "it refused the connection: " + reply : null;
            } catch (IOException e) {
                throw new TargetUnreachableException("target " + t.name() + " (" + t.hostPort() + ") is unreachable: "
                        + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
            if (refusal != null) {
                throw new TargetUnreachableException("target " + t.name() + " (" + t.hostPort() + ") does not serve this client: " + refusal);
            }
        }
    }

    public RunResult run() throws InterruptedException, IOException {
        String started = now();
        EventLoopGroup group = newGroup(plan.ioThreads());
        List<TargetResult> results = new ArrayList<>();
        try {
            StartSchedule schedule = plan.schedule();
            if (schedule != null) {
                out.println("host " + plan.hostId() + ": first level at " + plan.startAt() + ", the last over by "
                        + schedule.end());
            }
            for (int i = 0; i < plan.targets().size(); i++) {
                Target target = plan.targets().get(i);
                results.add(run(new TargetRun(plan, target, group, channelClass(), progress).targetIndex(i), target, Map.of()));
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        return finish(started, results, List.of());
    }

    /** Measures one target at every level; a target that fails is reported, and the run goes on. */
    public TargetResult runTarget(Target target, EventLoopGroup group) throws InterruptedException {
        return runTarget(target, group, Map.of());
    }

    /** As {@link #runTarget(Target, EventLoopGroup)}, recording how the target's server was launched. */
    public TargetResult runTarget(Target target, EventLoopGroup group, Map<String, Object> launch) throws InterruptedException {
        return runTarget(target, group, launch, null);
    }

    /** As {@link #runTarget(Target, EventLoopGroup, Map)}, with the backend the target calls watched per level (null: none). */
    public TargetResult runTarget(Target target, EventLoopGroup group, Map<String, Object> launch,
                                  java.net.InetSocketAddress backend) throws InterruptedException {
        return runTarget(target, group, launch, backend, 0);
    }

    /** As {@link #runTarget(Target, EventLoopGroup, Map, java.net.InetSocketAddress)}, as repeat {@code repeat} (0: the only one). */
    public TargetResult runTarget(Target target, EventLoopGroup group, Map<String, Object> launch,
                                  java.net.InetSocketAddress backend, int repeat) throws InterruptedException {
        return runTarget(target, group, launch, backend, repeat, null);
    }

    /** As {@link #runTarget(Target, EventLoopGroup, Map, java.net.InetSocketAddress, int)}, the server profiled over each window (null: not). */
    public TargetResult runTarget(Target target, EventLoopGroup group, Map<String, Object> launch,
                                  java.net.InetSocketAddress backend, int repeat,
                                  dev.netplay.client.profile.WindowProfiler profiler) throws InterruptedException {
        return run(new TargetRun(plan, target, group, channelClass(), progress).launchedAs(launch).watchingBackend(backend)
                .repeat(repeat).profiledBy(profiler), target, launch);
    }

    /** Runs one target; one that fails is reported, and the run goes on. */
    private TargetResult run(TargetRun run, Target target, Map<String, Object> launch) throws InterruptedException {
        try {
            return run.run();
        } catch (IOException e) {
            out.println("target " + target.name() + " (" + target.hostPort() + ") failed: " + e.getMessage());
            return new TargetResult(target.name(), target.hostPort(), Map.of("error", String.valueOf(e.getMessage())), List.<LevelResult>of(), Map.of(), launch);
        }
    }

    /** Prints the summary and writes results.json and results.csv. */
    public RunResult finish(String started, List<TargetResult> results, List<String> notes) throws IOException {
        Map<String, Object> parameters = parameters();
        parameters.put("notes", notes);
        RunResult run = new RunResult("netplay", started, now(), parameters, Machine.describe(), results);
        out.println();
        out.print(SummaryTable.render(run));
        out.println();
        out.print(SummaryTable.renderCosts(run));
        String backend = SummaryTable.renderBackend(run);
        if (!backend.isEmpty()) {
            out.println();
            out.print(backend);
        }
        String knees = SummaryTable.renderKnees(run);
        if (!knees.isEmpty()) {
            out.println();
            out.print(knees);
        }
        String byCommand = SummaryTable.renderByCommand(run);
        if (!byCommand.isEmpty()) {
            out.println();
            out.print(byCommand);
        }
        if (plan.out() != null) {
            ResultsFiles.write(run, plan.out());
            out.println("results: " + plan.out().resolve(ResultsFiles.JSON) + ", " + plan.out().resolve(ResultsFiles.CSV));
        }
        return run;
    }

    /** The client's event loops: epoll where available, else nio (as the netty model's default, transport auto). */
    public static EventLoopGroup newGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    }

    static Class<? extends Channel> channelClass() {
        return Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    public static String now() {
        return OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("command", plan.commandLine());
        p.put("hostId", plan.hostId());
        p.put("startAt", plan.startAt() == null ? null : plan.startAt().toString());
        List<String> targets = new ArrayList<>();
        plan.targets().forEach(t -> targets.add(t.name() + "=" + t.hostPort()));
        p.put("targets", targets);
        p.put("levels", plan.levels());
        p.put("request", plan.requestText());
        p.put("sleepMs", plan.request().sleepMillis() >= 0 ? plan.request().sleepMillis() : null);
        p.put("model", plan.openModel() ? "open" : "closed");
        p.put("rate", plan.openModel() ? plan.rate() : null);
        p.put("pipeline", plan.pipeline());
        p.put("warmup", Units.formatDuration(plan.warmup()));
        p.put("duration", Units.formatDuration(plan.duration()));
        p.put("rampRate", plan.rampRate());
        p.put("connectTimeout", Units.formatDuration(plan.connectTimeout()));
        p.put("timeout", Units.formatDuration(plan.timeout()));
        List<String> sources = new ArrayList<>();
        plan.sourceAddresses().forEach(a -> sources.add(a.getHostAddress()));
        p.put("sourceAddresses", sources);
        p.put("clientIoThreads", plan.ioThreads());
        p.put("password", plan.password() == null ? null : plan.password().source()); // where from, never the password
        p.put("latencyUnit", "ms (recorded in ns)");
        return p;
    }


    /** A target refused the first connection: nothing was measured. */
    public static final class TargetUnreachableException extends RuntimeException {
        TargetUnreachableException(String message) {
            super(message);
        }
    }
}
