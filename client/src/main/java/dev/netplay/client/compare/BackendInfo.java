package dev.netplay.client.compare;

import dev.netplay.common.protocol.InfoReport;
import dev.netplay.common.resp.ReplyReader;
import dev.netplay.common.resp.Resp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;

/** One INFO of the backend, read between two models' runs: what the backend spent on each front model. */
final class BackendInfo {
    private static final int TIMEOUT_MILLIS = 10_000;

    private BackendInfo() {
    }

    /** The backend's INFO fields; empty where it cannot be read (a backend that is not netplay has other fields). */
    static Map<String, String> read(InetSocketAddress backend) {
        try (Socket s = new Socket()) {
            s.connect(backend, TIMEOUT_MILLIS);
            s.setSoTimeout(TIMEOUT_MILLIS);
            s.getOutputStream().write(Resp.command("INFO"));
            s.getOutputStream().flush();
            byte[] bulk = ReplyReader.payloadOfBulk(new ReplyReader(s.getInputStream()).readRaw());
            return bulk == null ? Map.of() : InfoReport.parse(new String(bulk, java.nio.charset.StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
    }

    /** What the backend did between {@code before} and {@code after}, in words for the report's notes. */
    static String during(String model, Map<String, String> before, Map<String, String> after) {
        Long cpu0 = InfoReport.number(before, "process_cpu_ns");
        Long cpu1 = InfoReport.number(after, "process_cpu_ns");
        Long conns0 = InfoReport.number(before, "total_connections_received");
        Long conns1 = InfoReport.number(after, "total_connections_received");
        Long cmds0 = InfoReport.number(before, "total_commands_processed");
        Long cmds1 = InfoReport.number(after, "total_commands_processed");
        if (cpu0 == null || cpu1 == null || conns0 == null || conns1 == null || cmds0 == null || cmds1 == null) {
            return "backend during " + model + ": its INFO could not be read";
        }
        long calls = cmds1 - cmds0;
        return String.format(java.util.Locale.ROOT, "backend during %s: %,d calls, %,d connections opened, %.1f s CPU (%.1f µs a call)",
                model, calls, conns1 - conns0, (cpu1 - cpu0) / 1e9, calls == 0 ? 0.0 : (cpu1 - cpu0) / 1e3 / calls);
    }
}
