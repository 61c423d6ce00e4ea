package dev.netplay.client.load.sample;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RedisInfoNamesTest {
    @Test
    void redisServersCpuAndRssGetNetplaysNames() {
        Map<String, String> info = RedisInfoNames.added(Map.of("used_cpu_sys", "5.591536", "used_cpu_user", "1.665448",
                "used_memory_rss", "123456789", "connected_clients", "10002"));
        assertThat(info).containsEntry("process_cpu_sys_ns", "5591536000")
                .containsEntry("process_cpu_user_ns", "1665448000")
                .containsEntry("process_cpu_ns", "7256984000")
                .containsEntry("rss_bytes", "123456789")
                .containsEntry("connected_clients", "10002");
    }

    @Test
    void aNetplayServersOwnFiguresAreKept() {
        Map<String, String> netplay = Map.of("process_cpu_ns", "42", "used_cpu_sys", "9.0", "rss_bytes", "7");
        assertThat(RedisInfoNames.added(netplay)).isSameAs(netplay);
    }

    @Test
    void figuresThatAreNotNumbersAreLeftOut() {
        Map<String, String> info = RedisInfoNames.added(Map.of("used_cpu_sys", "x", "used_cpu_user", "1.0",
                "used_memory_rss", "-1"));
        assertThat(info).doesNotContainKeys("process_cpu_ns", "process_cpu_sys_ns", "rss_bytes");
    }
}
