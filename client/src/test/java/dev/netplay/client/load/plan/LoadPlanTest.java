package dev.netplay.client.load.plan;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LoadPlanTest {

    private static LoadPlan closed(RequestSpec request, RequestMix mix) {
        return new LoadPlan(List.of(), List.of(100), request, 1, Duration.ZERO, Duration.ofSeconds(1), 1000,
                Duration.ofSeconds(1), Duration.ofSeconds(1), 0, List.of(), 1, null, "", false, mix, true, null, null, "test", null);
    }

    @Test
    void connectionsStartWithinOneSleepOfTheRequest() {
        LoadPlan plan = closed(RequestSpec.parse("SLEEP 200"), null);

        assertThat(plan.startSpreadNanos()).isEqualTo(200_000_000L);
        assertThat(plan.idealThroughput(100)).isEqualTo(500.0);
    }

    @Test
    void withAMixConnectionsStartWithinTheMeanSleepWhicheverEntryComesFirst() {
        RequestMix mix = RequestMix.parse("PING=90,SLEEP 1000=10");
        LoadPlan plan = closed(mix.entries().get(0).spec(), mix);

        assertThat(plan.startSpreadNanos()).isEqualTo(100_000_000L);
        assertThat(plan.idealThroughput(100)).isEqualTo(1000.0);
    }

    @Test
    void requestsThatDoNotSleepStartAtOnce() {
        LoadPlan plan = closed(RequestSpec.parse("PING"), null);

        assertThat(plan.startSpreadNanos()).isZero();
        assertThat(plan.idealThroughput(100)).isNull();
    }
}
