package dev.netplay.client.results;

import dev.netplay.common.metrics.ProcFiles;
import dev.netplay.common.metrics.ProcessMetrics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine a run measured on, for results.json and the report. */
public final class Machine {
    private Machine() {
    }

    public static Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cores", cores());
        m.put("memoryBytes", memTotalBytes());
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("kernel", System.getProperty("os.version"));
        m.put("openFileLimit", ProcessMetrics.openFileLimit());
        m.put("hostname", hostname());
        return m;
    }

    /** The machine's online CPUs (/proc/stat), not this process's share: compare pins itself to some of them. */
    static int cores() {
        int online = ProcFiles.cpuTicks(ProcFiles.read(Path.of("/proc/stat"))).size();
        return online > 0 ? online : ProcessMetrics.availableProcessors();
    }

    private static Long memTotalBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return null;
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
