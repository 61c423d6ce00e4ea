package dev.netplay.client.load.sample;

import dev.netplay.common.metrics.ProcFiles;
import dev.netplay.common.protocol.InfoField;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A server's reading with its threads and resident memory as the kernel counts them for its process
 * ({@code /proc/PID/status}: Threads, VmRSS), where it runs on this machine: the same count for a JVM, CPython or
 * redis-server, whatever each reports of itself. A server elsewhere keeps what its INFO says.
 */
public final class KernelView {
    private static final long BYTES_PER_KIB = 1024;

    private KernelView() {
    }

    /** {@code reading} with the kernel's threads and RSS of process {@code pid}; as it is if pid is null or gone. */
    public static Map<String, String> of(Map<String, String> reading, Long pid) {
        if (pid == null) {
            return reading;
        }
        String status = ProcFiles.read(Path.of("/proc", pid.toString(), "status"));
        long threads = ProcFiles.statusNumber(status, "Threads");
        long rssKib = ProcFiles.statusNumber(status, "VmRSS");
        if (threads < 0 || rssKib < 0) {
            return reading; // it exited: its last INFO, if any, is all there is
        }
        Map<String, String> out = new HashMap<>(reading);
        out.put(InfoField.THREADS_LIVE.key(), Long.toString(threads));
        out.put(InfoField.RSS_BYTES.key(), Long.toString(rssKib * BYTES_PER_KIB));
        return out;
    }
}
