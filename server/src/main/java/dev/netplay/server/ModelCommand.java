package dev.netplay.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

/** {@code scripts/server NAME [options]} for a registered model that has no subcommand of its own: the common options only. */
@Command(mixinStandardHelpOptions = true)
final class ModelCommand implements Callable<Integer> {
    private final ServerModel model;

    @Mixin
    ServerOptions server;

    ModelCommand(ServerModel model) {
        this.model = model;
    }

    @Override
    public Integer call() throws Exception {
        server.validate();
        if (model.unavailableReason() != null) {
            throw new IllegalArgumentException(model.name() + ": " + model.unavailableReason());
        }
        return ServerRunner.runUntilSignalled(model.factory().create(server.config()), server.grace);
    }
}
