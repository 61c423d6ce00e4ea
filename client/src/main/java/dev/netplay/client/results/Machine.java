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
        m.put("cpu", cpu());
        // Which boot of which machine: two runs with the same id shared one; a new id may be another host
        m.put("bootId", firstLine(Path.of("/proc/sys/kernel/random/boot_id")));
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
        return firstLine(Path.of("/proc/sys/kernel/hostname"));
    }

    /** The CPU's model and clock as /proc/cpuinfo gives them ("Intel(R) Xeon(R) Processor, 2600 MHz"); null if unknown. */
    private static String cpu() {
        String info = ProcFiles.read(Path.of("/proc/cpuinfo"));
        String model = cpuinfoField(info, "model name");
        String mhz = cpuinfoField(info, "cpu MHz");
        if (model == null) {
            return null;
        }
        return mhz == null ? model : model + ", " + Math.round(Double.parseDouble(mhz)) + " MHz";
    }

    private static String cpuinfoField(String info, String name) {
        if (info == null) {
            return null;
        }
        for (String line : info.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(name)) {
                String v = line.substring(colon + 1).trim();
                try {
                    return name.equals("cpu MHz") ? Double.toString(Double.parseDouble(v)) : v;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static String firstLine(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
