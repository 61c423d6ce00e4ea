package dev.netplay.server.testing;

import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Tracks every buffer (Netty's PARANOID level) for one test class, then restores the level. Only the leak tests use
 * it: tracking every buffer slows every allocation, which would distort the tests that measure time or load.
 */
public final class ParanoidLeakDetection implements BeforeAllCallback, AfterAllCallback {
    private ResourceLeakDetector.Level before;

    @Override
    public void beforeAll(ExtensionContext context) {
        before = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        ResourceLeakDetector.setLevel(before);
    }
}
