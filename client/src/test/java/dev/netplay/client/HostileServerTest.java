package dev.netplay.client;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The load client pointed at a server that means harm: it bounds what it reads (size, depth, line, time), counts a
 * hostile reply as an error or leaves the figure out, and ends by itself with no stack trace.
 */
@org.junit.jupiter.api.Tag("full") // four short load runs: mvn -B verify -Pfull
class HostileServerTest {
    /** How the server answers INFO or the load's requests; PING (the reachability check) is answered as it should be. */
    enum Hostility {
        /** INFO announces a 2 GB bulk and sends nothing. */
        HUGE_INFO_BULK(true, "$2000000000\r\n".getBytes(StandardCharsets.US_ASCII)),
        /** INFO answers with a line that never ends (4 MiB of it, then silence). */
        ENDLESS_INFO_LINE(true, endless()),
        /** INFO answers arrays nested 2,000 deep. */
        NESTED_INFO(true, "*1\r\n".repeat(2_000).getBytes(StandardCharsets.US_ASCII)),
        /** Every load request gets arrays nested 2,000 deep. */
        NESTED_LOAD_REPLIES(false, "*1\r\n".repeat(2_000).getBytes(StandardCharsets.US_ASCII));

        final boolean info;
        final byte[] reply;

        Hostility(boolean info, byte[] reply) {
            this.info = info;
            this.reply = reply;
        }

        private static byte[] endless() {
            byte[] line = new byte[4 * 1024 * 1024];
            java.util.Arrays.fill(line, (byte) 'a');
            line[0] = '+';
            return line;
        }
    }

    @TempDir
    Path out;
    private ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    @AfterEach
    void stop() throws IOException {
        if (listener != null) {
            listener.close();
        }
        for (Socket s : open) {
            s.close();
        }
    }

    private int serve(Hostility hostility) throws IOException {
        listener = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    open.add(s);
                    Thread t = new Thread(() -> answer(s, hostility), "hostile-server");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "hostile-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        return listener.getLocalPort();
    }

    private static void answer(Socket s, Hostility hostility) {
        try (s) {
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream o = s.getOutputStream();
            List<String> request;
            while ((request = readRequest(in)) != null) {
                String name = request.get(0).toUpperCase(java.util.Locale.ROOT);
                boolean hostile = hostility.info == name.equals("INFO");
                if (name.equals("PING") && !hostility.info) {
                    hostile = true; // the load's PINGs; the reachability check's first PING is answered too (below)
                }
                if (name.equals("PING") && request.size() == 1 && firstOf(s)) {
                    hostile = false;
                }
                o.write(hostile ? hostility.reply : "+PONG\r\n".getBytes(StandardCharsets.US_ASCII));
                o.flush();
            }
        } catch (IOException e) {
            // the client gave up on us: what the test wants
        }
    }

    /** The first request on each connection opened first (the reachability check) is answered as asked. */
    private static final Set<Integer> answeredFirst = ConcurrentHashMap.newKeySet();

    private static boolean firstOf(Socket s) {
        return answeredFirst.add(s.getPort()) && answeredFirst.size() == 1;
    }

    private static List<String> readRequest(InputStream in) throws IOException {
        String header = line(in);
        if (header == null) {
            return null;
        }
        List<String> args = new ArrayList<>();
        if (!header.startsWith("*")) {
            args.addAll(List.of(header.split(" ")));
            return args;
        }
        int n = Integer.parseInt(header.substring(1));
        for (int i = 0; i < n; i++) {
            int len = Integer.parseInt(line(in).substring(1));
            args.add(new String(in.readNBytes(len + 2), StandardCharsets.US_ASCII).substring(0, len));
        }
        return args;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return b.toString().stripTrailing();
            }
            b.append((char) c);
        }
        return null;
    }

    @ParameterizedTest
    @EnumSource(Hostility.class)
    void theLoadClientEndsByItselfWithoutAStackTrace(Hostility hostility) throws Exception {
        answeredFirst.clear();
        int port = serve(hostility);
        LoadOptionsValidationTest.Outcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(120), () ->
                LoadOptionsValidationTest.client("run", "--target", "hostile=127.0.0.1:" + port, "--connections", "20",
                        "--request", "PING", "--warmup", "1s", "--duration", "2s", "--out", out.toString()));
        assertThat(outcome.err()).as("what the client said").doesNotContain("\tat ").doesNotContain("Exception")
                .doesNotContain("StackOverflowError");
        if (!hostility.info) {
            com.fasterxml.jackson.databind.JsonNode level = new com.fasterxml.jackson.databind.ObjectMapper()
                    .readTree(out.resolve("results.json").toFile()).at("/targets/0/levels/0");
            assertThat(level.at("/errorsByKind/wrong_reply").asLong()).as("the hostile replies, counted as wrong").isPositive();
            assertThat(level.get("requests").asLong()).as("none counted as answered").isZero();
        }
    }
}
