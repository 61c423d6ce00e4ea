package dev.netplay.common.metrics;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HistogramTextTest {
    @Test
    void twoCumulativeReadingsSubtractToTheWindow() {
        Histogram h = new Histogram(3_600_000, 2);
        h.recordValue(5);
        h.recordValue(7);
        Histogram before = HistogramText.decode(HistogramText.encode(h));
        h.recordValue(100);
        h.recordValue(300);
        Histogram window = HistogramText.between(before, HistogramText.decode(HistogramText.encode(h)));
        assertThat(window.getTotalCount()).isEqualTo(2);
        assertThat(window.getMaxValue()).isBetween(299L, 301L);
        assertThat(window.getMinValue()).isBetween(99L, 101L);
    }

    @Test
    void missingOrBrokenTextIsUnknown() {
        assertThat(HistogramText.decode(null)).isNull();
        assertThat(HistogramText.decode("not base64 !")).isNull();
        assertThat(HistogramText.between(null, new Histogram(2))).isNull();
    }
}
