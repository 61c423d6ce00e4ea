package dev.netplay.server.core;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The budget evicts the biggest clients first, and evicting thousands of 19,000 costs one ranked scan, not thousands. */
class ClientMemoryTest {
    private static final int CLIENTS = 19_000;

    @Test
    void overTheBudgetTheBiggestClientsGoFirstAndNoMoreThanNeeded() {
        ClientMemory budget = new ClientMemory(1_000);
        List<String> evicted = new ArrayList<>();
        ClientMemory.Usage small = budget.register(reply -> evicted.add("small"));
        ClientMemory.Usage big = budget.register(reply -> evicted.add("big"));
        ClientMemory.Usage middle = budget.register(reply -> evicted.add("middle"));
        budget.update(small, 100);
        budget.update(big, 600);
        budget.update(middle, 400); // 1,100: one must go, the biggest
        assertThat(evicted).containsExactly("big");
        assertThat(budget.usedBytes()).isEqualTo(500);
        assertThat(budget.evictions()).isEqualTo(1);
    }

    @Test
    void evictingMostOf19000ClientsAtOnceTakesOneScanNotOnePerEviction() {
        long each = 64 * 1024;
        ClientMemory budget = new ClientMemory(5_000 * each);
        AtomicInteger evictions = new AtomicInteger();
        List<ClientMemory.Usage> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(budget.register(reply -> evictions.incrementAndGet()));
        }
        for (int i = 0; i < 4_999; i++) {
            budget.update(clients.get(i), each);
        }
        ClientMemory.Usage whale = clients.get(CLIENTS - 1);
        long start = System.nanoTime();
        budget.update(whale, 14_000 * each); // over by 14,000 clients' worth: the whale alone goes
        long tookNanos = System.nanoTime() - start;
        assertThat(evictions.get()).isEqualTo(1);
        for (int i = 4_999; i < CLIENTS - 1; i++) {
            budget.update(clients.get(i), each); // each over by one: one eviction each, one scan each at most
        }
        System.out.printf("ClientMemory: one eviction at %,d clients took %.2f ms; %,d evictions in all%n", CLIENTS,
                tookNanos / 1e6, evictions.get());
        assertThat(budget.usedBytes()).isLessThanOrEqualTo(5_000 * each);
        assertThat(tookNanos).as("a generous bound: one ranked scan").isLessThan(2_000_000_000L);
    }
}
