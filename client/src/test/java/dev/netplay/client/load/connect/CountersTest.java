package dev.netplay.client.load.connect;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CountersTest {

    @Test
    void withAMixTheCompletedCountIsTheSumOfTheRequestsOwnCountsFromTheSameSnapshot() {
        Counters counters = new Counters(List.of("PING", "SLEEP 100"));
        counters.byCommand.get("PING").completed.add(9);
        counters.byCommand.get("SLEEP 100").completed.add(1);
        // The overall adder lags behind, as it does for a moment while a reply is being counted on another thread.
        counters.completed.add(7);

        Map<String, Long> snapshot = counters.snapshot();

        assertThat(snapshot).containsEntry(Counters.completedKey("PING"), 9L)
                .containsEntry(Counters.completedKey("SLEEP 100"), 1L)
                .containsEntry("completed", 10L);
    }

    @Test
    void withoutAMixTheCompletedCountIsTheOverallCounter() {
        Counters counters = new Counters();
        counters.completed.add(7);

        assertThat(counters.snapshot()).containsEntry("completed", 7L).doesNotContainKey(Counters.completedKey("PING"));
    }
}
