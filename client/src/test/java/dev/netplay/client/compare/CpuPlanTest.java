package dev.netplay.client.compare;

import dev.netplay.common.metrics.CpuList;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CpuPlanTest {
    @Test
    void twoCoresGiveTheServerOneAndTheClientTheOther() {
        CpuPlan plan = CpuPlan.decide(CpuList.parse("0-1"), true, null, null, false);
        assertThat(plan.pinned()).isTrue();
        assertThat(plan.serverCpus()).hasToString("1");
        assertThat(plan.clientCpus()).hasToString("0");
        assertThat(plan.serverPrefix()).containsExactly("taskset", "-c", "1");
        assertThat(plan.note()).contains("every server on CPU 1, the load client on CPU 0");
    }

    @Test
    void moreCoresAreSplitInHalvesAndTheServerGetsTheOddOne() {
        CpuPlan four = CpuPlan.decide(CpuList.parse("0-3"), true, null, null, false);
        assertThat(four.serverCpus()).hasToString("2-3");
        assertThat(four.clientCpus()).hasToString("0-1");
        CpuPlan three = CpuPlan.decide(CpuList.parse("0-2"), true, null, null, false);
        assertThat(three.serverCpus()).hasToString("1-2");
        assertThat(three.clientCpus()).hasToString("0");
    }

    @Test
    void oneGivenListLeavesTheRestToTheOtherRole() {
        CpuPlan plan = CpuPlan.decide(CpuList.parse("0-3"), true, CpuList.parse("3"), null, false);
        assertThat(plan.clientCpus()).hasToString("0-2");
    }

    @Test
    void oneCoreOrNoTasksetRunsUnpinnedAndSaysWhy() {
        CpuPlan one = CpuPlan.decide(CpuList.parse("0"), true, null, null, false);
        assertThat(one.pinned()).isFalse();
        assertThat(one.serverPrefix()).isEmpty();
        assertThat(one.note()).contains("CPUs not pinned: this process may use one CPU (0)");
        CpuPlan noTaskset = CpuPlan.decide(CpuList.parse("0-1"), false, null, null, false);
        assertThat(noTaskset.pinned()).isFalse();
        assertThat(noTaskset.note()).contains("'taskset' (util-linux) was not found");
        assertThat(CpuPlan.decide(CpuList.parse("0-1"), true, null, null, true).note()).contains("--no-pin");
    }

    @Test
    void badListsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> CpuPlan.decide(CpuList.parse("0-1"), true, CpuList.parse("0-1"), CpuList.parse("1"), false))
                .hasMessageContaining("overlap");
        assertThatThrownBy(() -> CpuPlan.decide(CpuList.parse("0-1"), true, CpuList.parse("5"), null, false))
                .hasMessageContaining("CPU list 5 is not within the CPUs this process may use (0-1)");
        assertThatThrownBy(() -> CpuPlan.decide(CpuList.parse("0-1"), true, CpuList.parse("0-1"), null, false))
                .hasMessageContaining("no CPU left for the load client");
    }
}
