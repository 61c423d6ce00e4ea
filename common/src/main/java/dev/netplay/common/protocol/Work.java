package dev.netplay.common.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The CPU-bound request: SHA-256 applied {@code rounds} times, starting from 32 zero bytes. */
public final class Work {
    private static final int DIGEST_BYTES = 32;

    private Work() {
    }

    /** Lowercase hex of the last digest; with zero rounds, of the 32 zero bytes. */
    public static String sha256Rounds(long rounds) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
        byte[] value = new byte[DIGEST_BYTES];
        for (long i = 0; i < rounds; i++) {
            value = sha256.digest(value);
        }
        return HexFormat.of().formatHex(value);
    }
}
