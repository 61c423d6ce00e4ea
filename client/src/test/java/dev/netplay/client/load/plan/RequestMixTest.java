package dev.netplay.client.load.plan;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** --mix: requests and weights, drawn in proportion, with Little's law over their mean duration. */
class RequestMixTest {
    @Test
    void requestsAreDrawnInProportionToTheirWeights() {
        RequestMix mix = RequestMix.parse("PING=90, SLEEP 1000=10");
        assertThat(mix.entries()).extracting(e -> e.spec().text()).containsExactly("PING", "SLEEP 1000");
        Map<String, Integer> drawn = new HashMap<>();
        Random random = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            drawn.merge(mix.pick(random).text(), 1, Integer::sum);
        }
        assertThat(drawn.get("PING")).isBetween(89_000, 91_000);
        assertThat(drawn.get("SLEEP 1000")).isBetween(9_000, 11_000);
    }

    @Test
    void theMeanSleepIsWeightedAndRequestsThatDoNotSleepCountAsZero() {
        assertThat(RequestMix.parse("PING=90,SLEEP 1000=10").meanSleepMillis()).isEqualTo(100.0);
        assertThat(RequestMix.parse("SLEEP 100=1,SLEEP 300=1").meanSleepMillis()).isEqualTo(200.0);
    }
}
