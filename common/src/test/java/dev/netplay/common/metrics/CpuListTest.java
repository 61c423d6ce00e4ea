package dev.netplay.common.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuListTest {
    @Test
    void parsesAndPrintsTheLinuxListFormat() {
        CpuList cpus = CpuList.parse("0-3,6, 8-9");
        assertThat(cpus.cpus()).containsExactly(0, 1, 2, 3, 6, 8, 9);
        assertThat(cpus).hasToString("0-3,6,8-9");
        assertThat(CpuList.parse("1")).hasToString("1");
        assertThat(new CpuList(List.of(3, 1, 2, 2))).hasToString("1-3");
    }

    @Test
    void splitsAndComparesSets() {
        CpuList all = CpuList.parse("0-3");
        assertThat(all.head(2)).hasToString("0-1");
        assertThat(all.tail(2)).hasToString("2-3");
        assertThat(all.containsAll(CpuList.parse("1,3"))).isTrue();
        assertThat(CpuList.parse("0-1").overlaps(CpuList.parse("1-2"))).isTrue();
        assertThat(CpuList.parse("0").overlaps(CpuList.parse("1"))).isFalse();
    }

    @Test
    void badListsNameTheBadPart() {
        assertThatThrownBy(() -> CpuList.parse("0-x")).hasMessageContaining("bad part '0-x'");
        assertThatThrownBy(() -> CpuList.parse("3-1")).hasMessageContaining("bad range '3-1'");
        assertThatThrownBy(() -> CpuList.parse("9000")).hasMessageContaining("expected 0..8191");
        assertThatThrownBy(() -> CpuList.parse(" ")).hasMessageContaining("empty CPU list");
    }
}
