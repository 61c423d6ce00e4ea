package dev.netplay.common.resp;

/**
 * The protocol's one reader of decimal integers (multibulk and bulk lengths, command arguments), as Redis reads
 * them: an optional '-', then 1 to {@value #MAX_DIGITS} digits, nothing else. Allocates nothing.
 */
public final class Decimal {
    /** Not an optionally negative run of digits. */
    public static final long NOT_A_NUMBER = Long.MIN_VALUE;
    /** Digits, but more than {@value #MAX_DIGITS} of them: too large for this protocol's numbers. */
    public static final long TOO_LONG = Long.MIN_VALUE + 1;
    /** Most digits read; a long holds 18 digits safely. */
    public static final int MAX_DIGITS = 18;

    private Decimal() {
    }

    /** The integer in {@code bytes[offset, offset + length)}, or {@link #NOT_A_NUMBER}, or {@link #TOO_LONG}. */
    public static long parse(byte[] bytes, int offset, int length) {
        boolean negative = length > 0 && bytes[offset] == '-';
        int start = negative ? offset + 1 : offset;
        int end = offset + length;
        if (start == end) {
            return NOT_A_NUMBER;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            int digit = bytes[i] - '0';
            if (digit < 0 || digit > 9) {
                return NOT_A_NUMBER;
            }
            value = i - start < MAX_DIGITS ? value * 10 + digit : value;
        }
        if (end - start > MAX_DIGITS) {
            return TOO_LONG;
        }
        return negative ? -value : value;
    }

    /** As {@link #parse(byte[], int, int)}, the whole array. */
    public static long parse(byte[] bytes) {
        return parse(bytes, 0, bytes.length);
    }

    /** True if {@code n} is a number {@link #parse} read, not one of its two answers for "none". */
    public static boolean isNumber(long n) {
        return n != NOT_A_NUMBER && n != TOO_LONG;
    }
}
