package dev.netplay.server;

import dev.netplay.server.cli.ModelCli;
import dev.netplay.server.cli.ServerOptions;
import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;


/** {@code scripts/server NAME [options]} for a registered model that has no subcommand of its own: the common options only. */
@Command(mixinStandardHelpOptions = true)
final class ModelCommand implements ModelCli {
    private final ServerModel model;

    @Mixin
    ServerOptions server;

    ModelCommand(ServerModel model) {
        this.model = model;
    }

    @Override
    public ServerOptions options() {
        return server;
    }

    @Override
    public Server build(ServerConfig config) throws Exception {
        if (model.unavailableReason() != null) {
            throw new IllegalArgumentException(model.name() + ": " + model.unavailableReason());
        }
        return model.factory().create(config);
    }
}
