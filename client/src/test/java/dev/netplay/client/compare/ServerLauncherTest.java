package dev.netplay.client.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A target's command that cannot serve says why in one line, and leaves no process behind. */
class ServerLauncherTest {
    private static final long SHORT_WAIT_MILLIS = 2_000;

    @TempDir
    Path dir;

    private static TargetSpec command(String... words) {
        return new TargetSpec("mine", List.of(words), null, null, null);
    }

    @Test
    void aCommandThatCannotRunIsNamed() {
        assertThatThrownBy(() -> ServerLauncher.startCommand(command("/nonexistent/netplay-server", "{port}"), List.of(), Map.of(),
                dir.resolve("a.log"), SHORT_WAIT_MILLIS)).isInstanceOf(IOException.class)
                .hasMessageStartingWith("target mine: its command '/nonexistent/netplay-server {port}' cannot run");
    }

    @Test
    void aCommandThatExitsAtOnceShowsItsLastLogLines() {
        assertThatThrownBy(() -> ServerLauncher.startCommand(command("sh", "-c", "echo no such option >&2; exit 3", "{port}"),
                List.of(), Map.of(), dir.resolve("b.log"), 10_000)).isInstanceOf(IOException.class)
                .hasMessageContaining("target mine exited at once with code 3").hasMessageContaining("no such option");
    }

    @Test
    void aCommandThatNeverAnswersNamesTheWait() {
        assertThatThrownBy(() -> ServerLauncher.startCommand(command("sh", "-c", "echo waiting; exec sleep 60", "{port}"), List.of(),
                Map.of(), dir.resolve("c.log"), SHORT_WAIT_MILLIS)).isInstanceOf(IOException.class)
                .hasMessageContaining("did not answer PING on 127.0.0.1:").hasMessageContaining("within 2.0 s (compare waits for +PONG)")
                .hasMessageContaining("waiting");
    }

    @Test
    void aServerOfAnotherProtocolHasItsFirstReplyQuoted() {
        String http = "import socket,sys,time\n"
                + "s=socket.create_server(('127.0.0.1',int(sys.argv[1])))\n"
                + "while True:\n"
                + "  c,_=s.accept(); c.recv(100); c.sendall(b'HTTP/1.1 400 Bad Request\\r\\n\\r\\n'); c.close()\n";
        assertThatThrownBy(() -> ServerLauncher.startCommand(command("python3", "-c", http, "{port}"), List.of(), Map.of(),
                dir.resolve("d.log"), 20_000)).isInstanceOf(IOException.class)
                .hasMessage("target mine answered PING with 'HTTP/1.1 400 Bad Request', not +PONG: it does not speak this protocol");
    }

    @Test
    void aPythonServerStartsAnswersAndStopsOnSigterm() throws Exception {
        TargetSpec py = TargetSpec.parse("py-asyncio", List.of());
        ServerLauncher server = ServerLauncher.startCommand(py, List.of(),
                Map.of("PYTHONPATH", Path.of("..", "python").toAbsolutePath().toString()), dir.resolve("e.log"), 20_000);
        try {
            assertThat(server.alive()).isTrue();
            assertThat(server.command()).contains("--port", Integer.toString(server.port()));
        } finally {
            assertThat(server.stop()).as("a clean exit on SIGTERM").isZero();
        }
    }
}
