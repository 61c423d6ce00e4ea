package dev.netplay.server.core;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The contract's verdicts, as every model hears them: each guard decided and counted once, here. */
class ConnectionLedgerTest {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    private final ServerStats stats = new ServerStats();

    private ConnectionLedger ledger(Duration requestTimeout, Duration writeTimeout) {
        ServerGuards guards = ServerGuards.DEFAULTS.withRequestTimeout(requestTimeout).withWriteTimeout(writeTimeout);
        return new ConnectionLedger(stats, new InetSocketAddress("127.0.0.1", 1), reply -> { }, guards);
    }

    @Test
    void aRequestPartlyReceivedTimesOutOnceItsWholeTimeHasPassedAndIsCountedOnce() {
        ConnectionLedger ledger = ledger(Duration.ofSeconds(2), Duration.ZERO);
        assertThat(ledger.requestTimeLeft(0)).as("nothing arriving: not watched").isEqualTo(Long.MAX_VALUE);
        ledger.requestProgress(true, false, 0);
        assertThat(ledger.requestTimeLeft(SECOND)).isEqualTo(SECOND);
        assertThat(ledger.requestTimedOut(SECOND)).isNull();
        assertThat(new String(ledger.requestTimedOut(2 * SECOND), StandardCharsets.US_ASCII))
                .isEqualTo("-ERR Protocol error: request not complete within 2000 ms (--request-timeout)\r\n");
        assertThat(stats.timedOutRequests()).isEqualTo(1);
    }

    @Test
    void theClockStartsAgainWhileTheServerHoldsTheClientBackAndStopsWhenTheRequestIsWhole() {
        ConnectionLedger ledger = ledger(Duration.ofSeconds(2), Duration.ZERO);
        ledger.requestProgress(true, false, 0);
        ledger.requestProgress(true, true, 3 * SECOND); // not read for a while: the time is not the client's
        assertThat(ledger.requestTimedOut(4 * SECOND)).isNull();
        ledger.requestProgress(false, false, 4 * SECOND);
        assertThat(ledger.requestTimeLeft(10 * SECOND)).isEqualTo(Long.MAX_VALUE);
        assertThat(ledger.requestTimedOut(10 * SECOND)).isNull();
        assertThat(stats.timedOutRequests()).isZero();
    }

    @Test
    void noTimeoutsMeansNoVerdicts() {
        ConnectionLedger ledger = ledger(Duration.ZERO, Duration.ZERO);
        ledger.requestProgress(true, false, 0);
        assertThat(ledger.requestTimeLeft(100 * SECOND)).isEqualTo(Long.MAX_VALUE);
        assertThat(ledger.requestTimedOut(100 * SECOND)).isNull();
        assertThat(ledger.writeStalled(0, 100 * SECOND)).isFalse();
        assertThat(stats.timedOutRequests()).isZero();
        assertThat(stats.stalledWritesClosed()).isZero();
    }

    @Test
    void repliesStalledForTheWriteTimeoutAreCountedEachTimeTheyAreJudgedStalled() {
        ConnectionLedger ledger = ledger(Duration.ZERO, Duration.ofSeconds(3));
        assertThat(ledger.writeTimeoutNanos()).isEqualTo(3 * SECOND);
        assertThat(ledger.writeStalled(SECOND, 3 * SECOND)).isFalse();
        assertThat(ledger.writeStalled(SECOND, 4 * SECOND)).isTrue();
        assertThat(stats.stalledWritesClosed()).isEqualTo(1);
    }

    @Test
    void theStopRefusesEveryWholeRequestBufferedAndNothingAfterAFramingError() {
        ConnectionLedger ledger = ledger(Duration.ZERO, Duration.ZERO);
        List<String> sent = new ArrayList<>();
        byte[] buffered = "PING\r\n*1\r\n$4\r\nPING\r\n*1\r\n$4\r\nPI".getBytes(StandardCharsets.US_ASCII);
        ledger.refuseAll(buffered, reply -> sent.add(new String(reply, StandardCharsets.US_ASCII)));
        assertThat(sent).containsExactly("-ERR server is shutting down\r\n", "-ERR server is shutting down\r\n");
        ledger(Duration.ZERO, Duration.ZERO).refuseAll("*x\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII),
                reply -> sent.add("after a framing error"));
        assertThat(sent).hasSize(2);
        assertThat(stats.shutdownErrors()).isEqualTo(2);
    }
}
