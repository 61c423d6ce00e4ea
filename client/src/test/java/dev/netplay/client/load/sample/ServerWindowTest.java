package dev.netplay.client.load.sample;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The window's arithmetic over INFO readings: peaks only while open, differences between the edges. */
class ServerWindowTest {
    private static Map<String, String> info(long threads, long rss, long cpu, long commands) {
        return Map.of("threads_live", Long.toString(threads), "rss_bytes", Long.toString(rss), "process_cpu_ns", Long.toString(cpu),
                "total_commands_processed", Long.toString(commands), "connected_clients", "5");
    }

    @Test
    void peaksCountOnlyWhileOpenAndCostIsTheDifferenceOfTheEdges() {
        ServerWindow w = new ServerWindow();
        w.observe(info(900, 9_000, 0, 0)); // before the window: not a peak of it
        w.begin(info(10, 100, 1_000, 50));
        w.observe(info(30, 500, 2_000, 60));
        Map<String, String> end = info(20, 300, 4_000, 80);
        w.observe(end);
        ServerWindow.Figures f = w.end(end);
        w.observe(info(800, 8_000, 0, 0)); // after: not either
        assertThat(f.threadsPeak()).isEqualTo(30);
        assertThat(f.rssPeakBytes()).isEqualTo(500);
        assertThat(f.commands()).isEqualTo(30);
        assertThat(f.connectedClients()).isEqualTo(5);
        assertThat(f.answered()).isTrue();
    }

    @Test
    void anUnansweredEdgeLeavesTheCostUnknownNotZero() {
        ServerWindow w = new ServerWindow();
        w.begin(info(10, 100, 1_000, 50));
        ServerWindow.Figures f = w.end(Map.of());
        assertThat(f.answered()).isFalse();
        assertThat(f.commands()).isNull();
    }
}
