package dev.netplay.client.results;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class BoundTest {
    private static Double d(String v) {
        return v == null || v.isEmpty() ? null : Double.valueOf(v);
    }

    @ParameterizedTest(name = "server cores {0}%, client cores {1}%, shared {2}, server {3}%, client {4}% -> {5}")
    @CsvSource(nullValues = "-", value = {
        // pinned: each role's cores judged alone, at its edge
        "95.0, 50.0, false, 90, 40, server-cpu",
        "94.9, 50.0, false, 90, 40, none",
        "100,  89.9, false, 99, 80, server-cpu",
        "50,   90.0, false, 40, 85, client-cpu",
        "99,   95.0, false, 99, 90, server-cpu", // both busy: the server's lag made the client busy
        "-,    10.0, false, -,  10, none",       // a server elsewhere: only the client is judged
        "-,    92.0, false, -,  90, client-cpu",
        // unpinned: busy shared cores are blamed on the process that used more of them
        "96,   96,   true,  60, 36, server-cpu",
        "96,   96,   true,  30, 66, client-cpu",
        "94,   94,   true,  60, 34, none",
        "99,   99,   true,  5,  91, client-cpu",
        "98,   98,   true,  -,  50, server-cpu",    // a server that does not report its CPU (redis-server)
    })
    void labelsAndTheirEdges(String server, String client, boolean shared, String serverPct, String clientPct, String expected) {
        assertThat(Bound.classify(d(server), d(client), shared, d(serverPct), d(clientPct)).label).isEqualTo(expected);
    }

    @ParameterizedTest(name = "cpus {0}, steal {1}%, others {2}%, lag p99 {3} ms -> {4}")
    @CsvSource(nullValues = "-", value = {
        "none,       4.99, 9.99, 49.9, none",
        "none,       5.0,  0,    0,    machine",     // steal at its mark
        "none,       0,    10.0, 0,    machine",     // other processes at theirs
        "server-cpu, 0,    10.0, 0,    machine",     // a disturbed level says nothing of the model
        "client-cpu, 5.0,  0,    99,   machine",
        "none,       0,    0,    50.0, client-lag",  // the client's lag at its mark
        "server-cpu, 0,    0,    80,   server-cpu",  // a saturated server makes the client late too
        "client-cpu, 0,    0,    80,   client-cpu",
        "none,       -,    -,    -,    none",        // unknown passes
    })
    void theMachineAndTheClientsLagAtTheirEdges(String cpus, String steal, String others, String lag, String expected) {
        Bound judged = Bound.judge(Bound.of(cpus), d(steal), d(others), d(lag));
        assertThat(judged.label).isEqualTo(expected);
        assertThat(judged.disturbed()).isEqualTo(expected.equals("machine") || expected.startsWith("client"));
    }
}
