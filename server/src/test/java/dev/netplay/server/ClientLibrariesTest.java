package dev.netplay.server;

import dev.netplay.server.core.Server;

import dev.netplay.common.protocol.DataPattern;
import dev.netplay.server.testing.ModelUnderTest;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.output.ByteArrayOutput;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.protocol.ProtocolVersion;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.Pipeline;
import redis.clients.jedis.RedisProtocol;
import redis.clients.jedis.commands.ProtocolCommand;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Today's Redis client libraries connect to every model as they connect to Redis: Jedis 8 and Lettuce 7 with their
 * default settings first (Lettuce negotiates with {@code HELLO 3}), then with RESP2 and RESP3 asked for. Each
 * pings, echoes, sleeps, fetches DATA and checks its bytes, reads INFO and sends a pipeline of mixed commands;
 * Lettuce also sends many SLEEPs at once from its async API.
 */
class ClientLibrariesTest {
    private static final int DATA_BYTES = 100_000;
    private static final int CONCURRENT_SLEEPERS = 100;
    private static final int SLEEP_MS = 500;
    private Server server;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        if (server != null) {
            server.stop(Duration.ZERO);
        }
    }

    /** Every model with each protocol setting: null is the library's default. */
    static Stream<Arguments> modelsAndProtocols() {
        List<Arguments> all = new ArrayList<>();
        for (ModelUnderTest model : ModelUnderTest.values()) {
            for (Integer protocol : new Integer[] {null, 2, 3}) {
                all.add(Arguments.of(model, protocol));
            }
        }
        return all.stream();
    }

    private static boolean expectedBytes(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] != DataPattern.expectedByte(i)) {
                return false;
            }
        }
        return true;
    }

    /** A netplay command for Jedis. */
    private static ProtocolCommand jedisCommand(String name) {
        byte[] raw = name.getBytes(StandardCharsets.US_ASCII);
        return () -> raw;
    }

    @ParameterizedTest(name = "{0}, protocol {1}")
    @MethodSource("modelsAndProtocols")
    void jedisConnectsAndRunsEveryCommand(ModelUnderTest model, Integer protocol) throws Exception {
        server = model.start();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().timeoutMillis(10_000);
        if (protocol != null) {
            config.protocol(protocol == 3 ? RedisProtocol.RESP3 : RedisProtocol.RESP2);
        }
        JedisClientConfig built = config.build();
        try (Jedis jedis = new Jedis(server.address().getHostString(), server.address().getPort(), built)) {
            assertThat(jedis.ping()).isEqualTo("PONG");
            assertThat(jedis.echo("hello jedis")).isEqualTo("hello jedis");
            assertThat(new String((byte[]) jedis.sendCommand(jedisCommand("SLEEP"), "10"), StandardCharsets.US_ASCII)).isEqualTo("OK");
            byte[] data = (byte[]) jedis.sendCommand(jedisCommand("DATA"), Integer.toString(DATA_BYTES));
            assertThat(data).hasSize(DATA_BYTES);
            assertThat(expectedBytes(data)).as("every byte of DATA").isTrue();
            assertThat(jedis.info()).contains("server_model:", "connected_clients:");
            assertThat(jedis.clientId()).isPositive();
            assertThat(jedis.clientSetname("jedis-test")).isEqualTo("OK");
            assertThat(jedis.clientGetname()).isEqualTo("jedis-test");
            Pipeline pipeline = jedis.pipelined();
            pipeline.sendCommand(jedisCommand("PING"), new String[0]);
            pipeline.sendCommand(jedisCommand("ECHO"), "a");
            pipeline.sendCommand(jedisCommand("SLEEP"), "20");
            pipeline.sendCommand(jedisCommand("DATA"), "5");
            pipeline.sendCommand(jedisCommand("ECHO"), "b");
            List<Object> replies = pipeline.syncAndReturnAll();
            assertThat(replies).extracting(r -> new String((byte[]) r, StandardCharsets.US_ASCII))
                    .containsExactly("PONG", "a", "OK", "abcde", "b");
        }
    }

    /** A netplay command for Lettuce. */
    private record LettuceCommand(String name) implements ProtocolKeyword {
        @Override
        public byte[] getBytes() {
            return name.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final LettuceCommand SLEEP = new LettuceCommand("SLEEP");
    private static final LettuceCommand DATA = new LettuceCommand("DATA");

    private RedisClient lettuce(Integer protocol) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(server.address().getHostString())
                .withPort(server.address().getPort()).withTimeout(Duration.ofSeconds(30)).build());
        if (protocol != null) {
            client.setOptions(ClientOptions.builder().protocolVersion(protocol == 3 ? ProtocolVersion.RESP3 : ProtocolVersion.RESP2).build());
        }
        toClose.add(() -> client.shutdown(Duration.ZERO, Duration.ofSeconds(2)));
        return client;
    }

    @ParameterizedTest(name = "{0}, protocol {1}")
    @MethodSource("modelsAndProtocols")
    void lettuceConnectsAndRunsEveryCommand(ModelUnderTest model, Integer protocol) throws Exception {
        server = model.start();
        RedisClient client = lettuce(protocol);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            var sync = connection.sync();
            assertThat(sync.ping()).isEqualTo("PONG");
            assertThat(sync.echo("hello lettuce")).isEqualTo("hello lettuce");
            assertThat(sync.dispatch(SLEEP, new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add(10)))
                    .isEqualTo("OK");
            assertThat(sync.info()).contains("server_model:", "connected_clients:");
            assertThat(sync.clientId()).isPositive();
            var async = connection.async();
            RedisFuture<String> ping = async.ping();
            RedisFuture<String> echo = async.echo("x");
            RedisFuture<String> sleep = async.dispatch(SLEEP, new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add(20));
            RedisFuture<String> echo2 = async.echo("y");
            assertThat(List.of(ping.get(10, TimeUnit.SECONDS), echo.get(10, TimeUnit.SECONDS), sleep.get(10, TimeUnit.SECONDS),
                    echo2.get(10, TimeUnit.SECONDS))).containsExactly("PONG", "x", "OK", "y");
        }
        try (StatefulRedisConnection<byte[], byte[]> binary = client.connect(ByteArrayCodec.INSTANCE)) {
            byte[] data = binary.sync().dispatch(DATA, new ByteArrayOutput<>(ByteArrayCodec.INSTANCE),
                    new CommandArgs<>(ByteArrayCodec.INSTANCE).add(DATA_BYTES));
            assertThat(data).hasSize(DATA_BYTES);
            assertThat(expectedBytes(data)).as("every byte of DATA").isTrue();
        }
    }

    @ParameterizedTest
    @Tag("full") // a long test: mvn -B verify -Pfull
    @MethodSource("dev.netplay.server.testing.ModelUnderTest#values")
    void lettuceSendsManySleepsAtOnceFromItsAsyncApi(ModelUnderTest model) throws Exception {
        server = model.start();
        RedisClient client = lettuce(null);
        // One SLEEP per connection: a connection's requests are served in order, as in Redis.
        List<StatefulRedisConnection<String, String>> sleepers = new ArrayList<>();
        for (int i = 0; i < CONCURRENT_SLEEPERS; i++) {
            sleepers.add(client.connect());
        }
        long start = System.nanoTime();
        List<RedisFuture<String>> replies = new ArrayList<>();
        for (StatefulRedisConnection<String, String> c : sleepers) {
            replies.add(c.async().dispatch(SLEEP, new StatusOutput<>(StringCodec.UTF8), new CommandArgs<>(StringCodec.UTF8).add(SLEEP_MS)));
        }
        for (RedisFuture<String> reply : replies) {
            assertThat(reply.get(60, TimeUnit.SECONDS)).isEqualTo("OK");
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // Generous: one after another they would take 50 s; at once, about half a second.
        assertThat(elapsedMs).as("%d SLEEP %d at once", CONCURRENT_SLEEPERS, SLEEP_MS).isLessThan(CONCURRENT_SLEEPERS * SLEEP_MS / 5);
        sleepers.forEach(StatefulRedisConnection::close);
    }
}
