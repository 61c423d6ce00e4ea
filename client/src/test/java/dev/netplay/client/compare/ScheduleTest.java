package dev.netplay.client.compare;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ScheduleTest {
    @Test
    void repeatsAreInterleavedEveryModelOnceThenEveryModelAgain() {
        assertThat(Comparison.schedule(List.of("a", "b", "c"), 3)).containsExactly(
                new Comparison.Sweep("a", 1), new Comparison.Sweep("b", 1), new Comparison.Sweep("c", 1),
                new Comparison.Sweep("a", 2), new Comparison.Sweep("b", 2), new Comparison.Sweep("c", 2),
                new Comparison.Sweep("a", 3), new Comparison.Sweep("b", 3), new Comparison.Sweep("c", 3));
        assertThat(Comparison.schedule(List.of("a", "b"), 1)).containsExactly(new Comparison.Sweep("a", 1), new Comparison.Sweep("b", 1));
    }
}
