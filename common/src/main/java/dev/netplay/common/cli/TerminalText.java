package dev.netplay.common.cli;

/**
 * Text from elsewhere (a host's id, a target's name in another host's results) made safe to print on a terminal:
 * control characters, which could move the cursor or rewrite the screen, are shown as {@code \xHH}.
 */
public final class TerminalText {
    private TerminalText() {
    }

    /** {@code text} with every control character but line feed and tab written as {@code \xHH}. */
    public static String safe(String text) {
        StringBuilder b = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = (c < 0x20 && c != '\n' && c != '\t') || (c >= 0x7f && c <= 0x9f);
            if (control && b == null) {
                b = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (b != null) {
                if (control) {
                    b.append(String.format("\\x%02x", (int) c));
                } else {
                    b.append(c);
                }
            }
        }
        return b == null ? text : b.toString();
    }
}
