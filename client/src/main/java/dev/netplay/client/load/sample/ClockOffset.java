package dev.netplay.client.load.sample;

import dev.netplay.client.results.TargetResult;
import dev.netplay.common.protocol.InfoField;

import java.io.IOException;
import java.time.Instant;

/**
 * This host's clock against the server's, from INFO's {@code server_time_usec} (netplay and redis-server give it):
 * the server read its clock somewhere between the request's send and its reply, so the offset is the server's time
 * less the midpoint, within half the round trip; of a few tries the one with the shortest round trip is kept, as
 * NTP's clock filter does. Two hosts' offsets against one server tell how far apart their own clocks are.
 */
public final class ClockOffset {
    static final int SAMPLES = 5;
    private static final double MICROS_PER_MS = 1000.0;

    private ClockOffset() {
    }

    /** The estimate, or null if the server gives no {@code server_time_usec}. */
    public static TargetResult.Clock estimate(InfoPoller poller) throws IOException {
        double bestRoundTrip = Double.MAX_VALUE;
        double bestOffset = 0;
        for (int i = 0; i < SAMPLES; i++) {
            long sent = micros(Instant.now());
            InfoPoller.Reading reading = poller.info();
            long received = micros(Instant.now());
            Long serverTime = InfoField.SERVER_TIME_USEC.number(reading.info());
            if (serverTime == null) {
                return null;
            }
            double roundTrip = received - sent;
            if (roundTrip < bestRoundTrip) {
                bestRoundTrip = roundTrip;
                bestOffset = serverTime - (sent + received) / 2.0;
            }
        }
        return new TargetResult.Clock(bestOffset / MICROS_PER_MS, bestRoundTrip / 2 / MICROS_PER_MS,
                "INFO server_time_usec, best of " + SAMPLES + " round trips");
    }

    private static long micros(Instant t) {
        return t.getEpochSecond() * 1_000_000 + t.getNano() / 1_000;
    }
}
