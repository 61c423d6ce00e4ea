package dev.netplay.server;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import dev.netplay.server.cli.ServerOptions;
import dev.netplay.server.core.Server;

import dev.netplay.server.core.ServerGuards;
import dev.netplay.server.testing.ModelUnderTest;
import dev.netplay.server.testing.RespClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.RedisProtocol;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code --requirepass}: every model asks for the password as Redis does, with Redis's own replies, and the real clients
 * connect with it (redis-cli, Jedis, Lettuce, redis-py).
 */
@Execution(ExecutionMode.CONCURRENT) // its tests mostly wait (for timeouts, a model each): side by side in the fast set
class AuthTest {
    private static final String PASSWORD = "s3cret pass";
    private Server server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    private Server start(ModelUnderTest model, String password) throws Exception {
        server = model.start(ServerGuards.DEFAULTS.withRequirePass(password));
        return server;
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void aServerWithAPasswordAnswersOnlyAuthHelloAndQuitUntilItIsGiven(ModelUnderTest model) throws Exception {
        start(model, PASSWORD);
        try (RespClient c = new RespClient(server.address())) {
            assertThat(c.call("PING")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(c.call("SLEEP", "10")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(c.call("FLUSHALL")).as("an unknown command is answered first, as Redis does")
                    .isEqualTo("-ERR unknown command 'FLUSHALL'\r\n");
            assertThat(c.call("ECHO")).as("so is a wrong arity")
                    .isEqualTo("-ERR wrong number of arguments for 'echo' command (got 0, expected: 1)\r\n");
            assertThat(c.call("HELLO", "3")).startsWith("-NOAUTH HELLO must be called with the client already authenticated");
            assertThat(c.call("AUTH", "wrong")).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            assertThat(c.call("AUTH", "other", PASSWORD)).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            assertThat(c.call("AUTH", "a", "b", "c")).isEqualTo("-ERR syntax error\r\n");
            assertThat(c.call("PING")).as("still not authenticated").isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(c.call("AUTH", PASSWORD)).isEqualTo("+OK\r\n");
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("SLEEP", "10")).isEqualTo("+OK\r\n");
        }
        try (RespClient c = new RespClient(server.address())) {
            assertThat(c.call("HELLO", "3", "AUTH", "default", "wrong")).startsWith("-WRONGPASS");
            assertThat(c.call("HELLO", "2", "AUTH", "default", PASSWORD)).startsWith("*14\r\n");
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
        }
        try (RespClient c = new RespClient(server.address())) {
            assertThat(c.call("AUTH", "default", PASSWORD)).isEqualTo("+OK\r\n");
            assertThat(c.call("QUIT")).isEqualTo("+OK\r\n");
        }
        try (RespClient c = new RespClient(server.address())) {
            assertThat(c.call("QUIT")).as("QUIT needs no password").isEqualTo("+OK\r\n");
            assertThat(c.isClosedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void aServerWithoutAPasswordSaysSoToAuthAndTakesAnyForTheDefaultUser(ModelUnderTest model) throws Exception {
        start(model, null);
        try (RespClient c = new RespClient(server.address())) {
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("AUTH", "x")).isEqualTo("-ERR AUTH <password> called without any password configured for "
                    + "the default user. Are you sure your configuration is correct?\r\n");
            assertThat(c.call("AUTH", "default", "anything")).isEqualTo("+OK\r\n");
            assertThat(c.call("AUTH", "other", "anything")).startsWith("-WRONGPASS");
            assertThat(c.call("HELLO", "2", "AUTH", "default", "anything")).startsWith("*14\r\n");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void realClientsConnectWithThePassword(ModelUnderTest model) throws Exception {
        start(model, PASSWORD);
        String host = server.address().getHostString();
        int port = server.address().getPort();
        try (Jedis jedis = new Jedis(host, port, DefaultJedisClientConfig.builder().password(PASSWORD)
                .protocol(RedisProtocol.RESP3).build())) {
            assertThat(jedis.ping()).isEqualTo("PONG");
        }
        RedisClient lettuce = RedisClient.create(RedisURI.builder().withHost(host).withPort(port)
                .withPassword(PASSWORD.toCharArray()).withTimeout(Duration.ofSeconds(30)).build());
        try (StatefulRedisConnection<String, String> connection = lettuce.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
        } finally {
            lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
        RealClientsTest.assumeInstalled("redis-cli");
        assertThat(RealClientsTest.run("redis-cli", "-h", host, "-p", Integer.toString(port), "--no-auth-warning", "-a", PASSWORD,
                "PING")).containsExactly("0", "PONG\n");
        assertThat(RealClientsTest.run("redis-cli", "-h", host, "-p", Integer.toString(port), "PING").get(1))
                .contains("NOAUTH Authentication required.");
        RealClientsTest.assumeRedisPy();
        assertThat(RealClientsTest.run("python3", "-c", "import redis, sys; r = redis.Redis(host=sys.argv[1], port=int(sys.argv[2]), "
                + "password=sys.argv[3], protocol=3); print(r.ping())", host, Integer.toString(port), PASSWORD))
                .containsExactly("0", "True\n");
    }

    @org.junit.jupiter.api.Test
    void thePasswordIsTakenFromTheCommandLineAndNeverPrinted() {
        ServerOptions options = picocli.CommandLine.populateCommand(new ServerOptions(), "--requirepass", PASSWORD);
        options.validate();
        ServerGuards guards = options.guards();
        assertThat(guards.requirePass()).isEqualTo(PASSWORD);
        assertThat(guards.toString()).contains("requirePass=set").doesNotContain(PASSWORD);
        assertThat(picocli.CommandLine.populateCommand(new ServerOptions()).guards().requirePass())
                .as("none given (and no NETPLAY_REQUIREPASS here)").isEqualTo(System.getenv("NETPLAY_REQUIREPASS"));
    }
}
