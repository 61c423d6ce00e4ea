package dev.netplay.server.cli;

import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;

import java.util.concurrent.Callable;

/**
 * A subcommand of {@code scripts/server} that builds one model's server: its own options parsed by picocli, the
 * common ones given as a {@link ServerConfig}. The command line runs it; the in-process factories of the registry
 * ({@link ServerMain#create}) build it through the same method, so the two cannot drift apart.
 */
public interface ModelCli extends Callable<Integer> {
    /** The server of this command's options and {@code config}, not started; a bad option fails naming its value. */
    Server build(ServerConfig config) throws Exception;

    /** The common options, as parsed. */
    ServerOptions options();

    /** What every model's subcommand does: validate, build, run until signalled. */
    @Override
    default Integer call() throws Exception {
        ServerOptions options = options();
        options.validate();
        return ServerRunner.runUntilSignalled(build(options.config()), options.grace);
    }
}
