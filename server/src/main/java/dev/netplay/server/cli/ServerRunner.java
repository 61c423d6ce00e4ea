package dev.netplay.server.cli;

import dev.netplay.server.core.Server;

import dev.netplay.common.cli.ExitCodes;
import sun.misc.Signal;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/** Starts a server, prints where it listens, and on SIGTERM or Ctrl-C stops it gracefully and exits 0. */
final class ServerRunner {
    private ServerRunner() {
    }

    static int runUntilSignalled(Server server, Duration grace) throws Exception {
        CountDownLatch stopRequested = new CountDownLatch(1);
        // Handling the signals ourselves (rather than a shutdown hook) lets a requested stop exit 0, not 143.
        Signal.handle(new Signal("TERM"), signal -> stopRequested.countDown());
        Signal.handle(new Signal("INT"), signal -> stopRequested.countDown());
        server.start();
        System.out.println(server.settings().listeningLine(server.address()));
        System.out.flush();
        stopRequested.await();
        int inFlight = server.stats().requestsInFlight();
        System.out.printf("stopping: %d request(s) in flight, grace %d ms%n", inFlight, grace.toMillis());
        long finishedBefore = server.stats().requestsFinished();
        boolean drained = server.stop(grace);
        long finished = server.stats().requestsFinished() - finishedBefore;
        long refused = server.stats().shutdownErrors();
        System.out.printf("stopped: %d request(s) finished while stopping: %d within the grace, %d answered "
                        + "-ERR server is shutting down after it (%s)%n", finished, finished - refused, refused,
                drained ? "none was left in flight" : "the grace ran out");
        return ExitCodes.OK;
    }
}
