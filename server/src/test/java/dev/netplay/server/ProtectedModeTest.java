package dev.netplay.server;

import dev.netplay.server.cli.ServerOptions;
import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;

import dev.netplay.common.cli.ListeningLine;
import dev.netplay.server.core.ServerGuards;
import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.NetworkNamespaces;
import dev.netplay.server.testing.RespClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Protected mode, as Redis's: a server without a password refuses clients from other hosts with {@code -DENIED} and
 * closes; {@code --protected-mode no} or a password lets them in. The other host is a network namespace on a bridge
 * made for the test; the server listens on the bridge's address, never on any address the test did not make.
 */
class ProtectedModeTest {
    private static final String DENIED_REPLY = "-DENIED " + ServerGuards.DENIED + "\r\n";
    private static NetworkNamespaces hosts;
    private Server server;

    @BeforeAll
    static void makeAnotherHost() throws Exception {
        String reason = NetworkNamespaces.unavailableReason();
        Assumptions.assumeTrue(reason == null, reason);
        hosts = NetworkNamespaces.create(1);
    }

    @AfterAll
    static void removeIt() {
        if (hosts != null) {
            hosts.close();
        }
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    /** On the bridge's address: a client there (this test's, or the namespace's) is not on loopback. */
    private InetSocketAddress start(ModelUnderTest model, ServerGuards guards) throws Exception {
        ServerConfig c = ServerConfig.of(new InetSocketAddress(hosts.serverAddress(), 0), 100);
        server = model.start(new ServerConfig(c.address(), c.maxConnections(), c.idleTimeout(), c.maxClientMemoryBytes(), guards));
        return server.address();
    }

    private NetworkNamespaces.Result redisCliFromTheOtherHost(InetSocketAddress address, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("redis-cli", "-h", address.getAddress().getHostAddress(),
                "-p", Integer.toString(address.getPort())));
        command.addAll(List.of(args));
        return hosts.runInHost(0, command);
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void withoutAPasswordAClientFromAnotherHostIsDeniedAndClosedAsRedisDoes(ModelUnderTest model) throws Exception {
        InetSocketAddress address = start(model, ServerGuards.DEFAULTS);
        try (RespClient c = new RespClient(address)) {
            assertThat(new String(c.readAll(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(DENIED_REPLY);
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(server.stats().deniedConnections()).isEqualTo(1);
            assertThat(server.stats().connectedClients()).isZero();
            assertThat(server.stats().rejectedConnections()).as("denied, not over the limit").isZero();
        });
        RealClientsTest.assumeInstalled("redis-cli");
        NetworkNamespaces.Result r = redisCliFromTheOtherHost(address, "PING");
        assertThat(r.output()).contains("DENIED netplay is running in protected mode").doesNotContain("PONG");
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void withProtectedModeOffAClientFromAnotherHostIsServed(ModelUnderTest model) throws Exception {
        InetSocketAddress address = start(model, ServerGuards.DEFAULTS.withProtectedMode(false));
        try (RespClient c = new RespClient(address)) {
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
        RealClientsTest.assumeInstalled("redis-cli");
        assertThat(redisCliFromTheOtherHost(address, "PING")).isEqualTo(new NetworkNamespaces.Result(0, "PONG\n"));
        assertThat(server.stats().deniedConnections()).isZero();
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void withAPasswordAClientFromAnotherHostIsAskedForIt(ModelUnderTest model) throws Exception {
        InetSocketAddress address = start(model, ServerGuards.DEFAULTS.withRequirePass("pw"));
        try (RespClient c = new RespClient(address)) {
            assertThat(c.call("PING")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(c.call("AUTH", "pw")).isEqualTo("+OK\r\n");
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
        RealClientsTest.assumeInstalled("redis-cli");
        assertThat(redisCliFromTheOtherHost(address, "--no-auth-warning", "-a", "pw", "PING"))
                .isEqualTo(new NetworkNamespaces.Result(0, "PONG\n"));
        assertThat(server.stats().deniedConnections()).isZero();
    }

    @Test
    void theOptionTakesYesOrNoAndTheListeningLineSaysWhoMayConnect() {
        assertThat(CommandLine.populateCommand(new ServerOptions()).guards().protectedMode()).isTrue();
        assertThat(CommandLine.populateCommand(new ServerOptions(), "--protected-mode", "NO").guards().protectedMode()).isFalse();
        ServerOptions bad = CommandLine.populateCommand(new ServerOptions(), "--protected-mode", "maybe");
        assertThatThrownBy(bad::validate).hasMessage("--protected-mode 'maybe' is not one of: yes, no");

        assertThat(ServerGuards.DEFAULTS.access()).isEqualTo("loopback-only");
        assertThat(ServerGuards.DEFAULTS.withProtectedMode(false).access()).isEqualTo("anyone");
        assertThat(ServerGuards.DEFAULTS.withRequirePass("pw").access()).isEqualTo("password");
        var settings = new dev.netplay.server.core.ServerSettings("netty", "nio", 1, 0, "timer", 10, ServerGuards.DEFAULTS);
        assertThat(settings.listeningLine(new InetSocketAddress("127.0.0.1", 7001))).contains(" access=loopback-only ");
    }
}
