package dev.netplay.common.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/** An INFO reply read back into its fields: the load client's reading of what a server's INFO writes. */
public final class InfoText {
    private InfoText() {
    }

    /** A non-negative number field of a parsed INFO; null where absent, not a number, or negative (-1: unknown). */
    public static Long number(Map<String, String> info, String field) {
        String v = info.get(field);
        if (v == null) {
            return null;
        }
        try {
            long n = Long.parseLong(v.trim());
            return n < 0 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Parses an INFO text back into its fields; {@code # } lines and blank lines are skipped. */
    public static Map<String, String> parse(String info) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : info.split("\r\n")) {
            int colon = line.indexOf(':');
            if (line.isEmpty() || line.startsWith("#") || colon < 0) {
                continue;
            }
            fields.put(line.substring(0, colon), line.substring(colon + 1));
        }
        return fields;
    }
}
