package dev.netplay.server.testing;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fails a test class if Netty's leak detector reported a leaked buffer during it (at its default level it samples
 * about one buffer in 128; {@link ParanoidLeakDetection} tracks every one, for the leak tests).
 * Registered for every test class through {@code META-INF/services} and JUnit's extension autodetection.
 */
public final class LeakCheckExtension implements AfterAllCallback {
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();
    /** Allocations that give the detector the chance to report buffers collected since the last one. */
    private static final int TRIGGER_ALLOCATIONS = 64;

    static {
        // Installed before the first buffer class loads (autodetected extensions come first), so every detector records here.
        ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new ResourceLeakDetectorFactory() {
            @Override
            @SuppressWarnings("deprecation")
            public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval, long maxActive) {
                return new ResourceLeakDetector<>(resource, samplingInterval) {
                    @Override
                    protected void reportTracedLeak(String resourceType, String records) {
                        LEAKS.add(resourceType + " leaked:" + records);
                        super.reportTracedLeak(resourceType, records);
                    }

                    @Override
                    protected void reportUntracedLeak(String resourceType) {
                        LEAKS.add(resourceType + " leaked (untraced)");
                        super.reportUntracedLeak(resourceType);
                    }
                };
            }
        });
    }

    @Override
    public void afterAll(ExtensionContext context) {
        List<String> leaks = collect();
        assertThat(leaks).as("buffers leaked in %s", context.getDisplayName()).isEmpty();
    }

    /** Collects garbage, lets the detector look, and returns (and forgets) the leaks seen so far. */
    public static List<String> collect() {
        System.gc();
        System.runFinalization();
        for (int i = 0; i < TRIGGER_ALLOCATIONS; i++) {
            ByteBuf probe = PooledByteBufAllocator.DEFAULT.buffer(1);
            probe.release();
        }
        List<String> seen = new ArrayList<>(LEAKS);
        LEAKS.clear();
        return seen;
    }
}
