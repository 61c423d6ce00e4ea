package dev.netplay.client.profile;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds {@code perf script -F comm,ip,sym} output into collapsed stacks: each sample is a header line (the thread's
 * name) and its frames, leaf first, one per line as "address symbol"; a blank line ends it. Kernel frames (addresses
 * in the kernel's half) get async-profiler's {@code _[k]}, so that one set of rules reads both profilers' stacks.
 */
public final class PerfScript {
    private static final String UNKNOWN = "[unknown]";

    private PerfScript() {
    }

    public static Collapsed fold(BufferedReader in) throws IOException {
        Map<String, Long> stacks = new LinkedHashMap<>();
        List<String> frames = new ArrayList<>();
        String thread = null;
        for (String line = in.readLine(); ; line = in.readLine()) {
            if (line == null || line.isBlank()) {
                if (thread != null) {
                    Collections.reverse(frames);
                    frames.add(0, thread);
                    stacks.merge(String.join(";", frames), 1L, Long::sum);
                }
                frames.clear();
                thread = null;
                if (line == null) {
                    return new Collapsed(stacks);
                }
            } else if (!Character.isWhitespace(line.charAt(0))) {
                thread = line.trim().replace(';', ':').replace(' ', '_');
            } else if (thread != null) {
                frames.add(frame(line.trim()));
            }
        }
    }

    /** "ffffffff81ba36e0 tcp_sendmsg+0x2b" -> "tcp_sendmsg_[k]"; "7c017 zrealloc+0x77" -> "zrealloc". */
    static String frame(String line) {
        int space = line.indexOf(' ');
        String address = space < 0 ? line : line.substring(0, space);
        String symbol = space < 0 ? UNKNOWN : line.substring(space + 1).trim();
        int offset = symbol.lastIndexOf("+0x");
        if (offset > 0) {
            symbol = symbol.substring(0, offset);
        }
        int dso = symbol.indexOf(" (");
        if (dso > 0) {
            symbol = symbol.substring(0, dso);
        }
        symbol = symbol.replace(';', ':').replace(' ', '_');
        boolean kernel = address.length() == 16 && address.startsWith("ffff");
        return kernel ? symbol + "_[k]" : symbol;
    }
}
