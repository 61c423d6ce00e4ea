package dev.netplay.common.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The CPU-bound request: SHA-256 applied {@code rounds} times, starting from 32 zero bytes. A {@link Progress} does
 * it in slices, so that an event loop (or a virtual thread) can let others run between them.
 */
public final class Work {
    private static final int DIGEST_BYTES = 32;
    /**
     * Rounds done before a server lets others run: about 1 ms of CPU here (2,000 rounds take ~115 µs), so a request
     * of up to this many runs in one go, as before, and the largest (10,000,000) yields ~600 times.
     */
    public static final long SLICE_ROUNDS = 16_384;

    private Work() {
    }

    /** Lowercase hex of the last digest; with zero rounds, of the 32 zero bytes. */
    public static String sha256Rounds(long rounds) {
        Progress progress = new Progress(rounds);
        while (!progress.step(Long.MAX_VALUE)) {
            // all rounds in one go
        }
        return progress.result();
    }

    /** One WORK request under way: {@link #step} does some rounds; {@link #result} once it says it is done. */
    public static final class Progress {
        private final MessageDigest sha256;
        private byte[] value = new byte[DIGEST_BYTES];
        private long remaining;

        public Progress(long rounds) {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("every Java runtime has SHA-256", e);
            }
            remaining = rounds;
        }

        /** Does up to {@code maxRounds} more rounds; true when none is left. */
        public boolean step(long maxRounds) {
            long n = Math.min(maxRounds, remaining);
            for (long i = 0; i < n; i++) {
                value = sha256.digest(value);
            }
            remaining -= n;
            return remaining == 0;
        }

        /** The reply's text: lowercase hex of the last digest. */
        public String result() {
            if (remaining != 0) {
                throw new IllegalStateException(remaining + " rounds of WORK are still to do");
            }
            return HexFormat.of().formatHex(value);
        }
    }
}
