package dev.netplay.server.testing;

import dev.netplay.server.core.ThreadMode;

import dev.netplay.server.ModelRegistration;
import dev.netplay.server.ServerModel;
import dev.netplay.server.threads.BlockingServer;

import java.util.List;
import java.util.concurrent.Executors;

/**
 * A model that exists only on the tests' classpath, registered on one line of
 * {@code META-INF/services/dev.netplay.server.ModelRegistration}: the tests check that it reaches
 * {@code scripts/compare --models} and the tests that run on every model, as a model of your own would.
 */
public final class TestOnlyModels implements ModelRegistration {
    public static final String NAME = "test-only";

    @Override
    public List<ServerModel> models() {
        return List.of(ServerModel.of(NAME, "threads from a cached pool, registered by the tests",
                c -> new BlockingServer(c, NAME, 0, Executors.newCachedThreadPool(ThreadMode.namedThreads("test-only-")))));
    }
}
