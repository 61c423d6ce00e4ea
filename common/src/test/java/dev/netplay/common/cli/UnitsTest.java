package dev.netplay.common.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UnitsTest {
    @Test
    void durationsTakeUnitsAndBareNumbersAreSeconds() {
        assertThat(Units.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Units.parseDuration("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Units.parseDuration("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Units.parseDuration("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Units.parseDuration("7")).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void countsTakeThousandsAndMillions() {
        assertThat(Units.parseCount("2k")).isEqualTo(2000);
        assertThat(Units.parseCount("1M")).isEqualTo(1_000_000);
        assertThat(Units.parseCount("15")).isEqualTo(15);
    }

    @Test
    void badValuesAreQuotedInTheError() {
        assertThatThrownBy(() -> Units.parseDuration("10 parsecs")).hasMessage("'10 parsecs' is not a duration (expected e.g. 500ms, 10s, 2m, 1h)");
        assertThatThrownBy(() -> Units.parseCount("-3")).hasMessage("'-3' is not a count (expected e.g. 500, 2k, 1m)");
    }

    @Test
    void durationsPrintInTheirShortestUnit() {
        assertThat(Units.formatDuration(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Units.formatDuration(Duration.ofSeconds(15))).isEqualTo("15s");
    }
}
