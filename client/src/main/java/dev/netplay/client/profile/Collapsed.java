package dev.netplay.client.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collapsed stacks, the format flame graphs are drawn from: one line per distinct stack, its frames from the root to
 * the leaf joined by ';', a space, and how many samples it took. Kernel frames end in {@code _[k]}, as async-profiler
 * writes them; Java frames end in {@code _[j]} (compiled), {@code _[i]} (inlined), {@code _[0]} (interpreted) or
 * {@code _[1]} (C1).
 */
public final class Collapsed {
    private final Map<String, Long> stacks;

    public Collapsed(Map<String, Long> stacks) {
        this.stacks = stacks;
    }

    /** Reads a collapsed file; a line that is not a stack and a count is skipped (a profiler's comment, say). */
    public static Collapsed read(Path file) throws IOException {
        Map<String, Long> stacks = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                int space = line.lastIndexOf(' ');
                if (space <= 0) {
                    continue;
                }
                try {
                    stacks.merge(line.substring(0, space), Long.parseLong(line.substring(space + 1).trim()), Long::sum);
                } catch (NumberFormatException notACount) {
                    // not a stack line
                }
            }
        }
        return new Collapsed(stacks);
    }

    public void write(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, Long> e : stacks.entrySet()) {
                out.write(e.getKey() + " " + e.getValue() + "\n");
            }
        }
    }

    /** Stack text to samples, in the order read. */
    public Map<String, Long> stacks() {
        return stacks;
    }

    public long samples() {
        return stacks.values().stream().mapToLong(Long::longValue).sum();
    }

    /** A stack's frames, root first. */
    public static List<String> frames(String stack) {
        return Arrays.asList(stack.split(";"));
    }

    /** Whether any frame is the kernel's: a profile without one could not see the kernel (itimer, or a refused perf_events). */
    public boolean hasKernelFrames() {
        return stacks.keySet().stream().anyMatch(s -> s.contains("_[k]"));
    }
}
