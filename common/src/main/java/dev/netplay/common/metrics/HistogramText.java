package dev.netplay.common.metrics;

import org.HdrHistogram.Histogram;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;

/**
 * A histogram as one INFO value: HdrHistogram's compressed encoding in base64 (a few hundred bytes). Servers report
 * histograms cumulatively; a client subtracts two readings to get a window's distribution.
 */
public final class HistogramText {
    private HistogramText() {
    }

    public static String encode(Histogram h) {
        ByteBuffer buffer = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int length = h.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    /** The histogram, or null if the text is not one. */
    public static Histogram decode(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text)), 0);
        } catch (DataFormatException | RuntimeException e) {
            return null;
        }
    }

    /** {@code later - earlier}: what was recorded between two cumulative readings; null if either is missing. */
    public static Histogram between(Histogram earlier, Histogram later) {
        if (earlier == null || later == null) {
            return null;
        }
        Histogram window = later.copy();
        try {
            window.subtract(earlier);
        } catch (IllegalArgumentException e) {
            return null; // not the same series (the server restarted)
        }
        return window;
    }
}
