package dev.netplay.server;

import dev.netplay.server.core.Server;
import dev.netplay.server.core.ServerConfig;

import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * A server model as {@code scripts/server}, {@code scripts/compare} and the tests know it.
 *
 * @param name       e.g. {@code threads-platform}: compare's label, INFO's {@code server_model} is the server's own
 * @param summary    one sentence: the threading idea it shows
 * @param serverArgs how {@code scripts/server} starts it, e.g. {@code [threads, --threads, platform]}
 * @param factory    makes one from the common options
 * @param unavailable null where it can run here, else why not (e.g. virtual threads on Java 17)
 * @param compared   whether {@code scripts/compare} runs it by default
 */
public record ServerModel(String name, String summary, List<String> serverArgs, Factory factory,
                          Supplier<String> unavailable, boolean compared) {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]*");

    /** Makes a server of this model; {@link Server#start()} is called by the caller. */
    @FunctionalInterface
    public interface Factory {
        Server create(ServerConfig config) throws Exception;
    }

    public ServerModel {
        Objects.requireNonNull(factory, "factory");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("model name '" + name + "' is not lower-case letters, digits, '-' or '_'");
        }
        serverArgs = List.copyOf(serverArgs);
    }

    /**
     * A model of your own: {@code scripts/server NAME [common options]} starts it, compare runs it by default, and
     * the tests that run on every model run on it.
     */
    public static ServerModel of(String name, String summary, Factory factory) {
        return new ServerModel(name, summary, List.of(name), factory, () -> null, true);
    }

    /**
     * A model that is a command line of {@code scripts/server} ({@code netty --transport nio}): the subcommand and its
     * own options. Its in-process factory parses the same line ({@link ServerMain#create}), so the model the tests
     * build and the one compare starts are one. Compare runs it by default.
     */
    public static ServerModel commandLine(String name, String summary, String... serverArgs) {
        List<String> args = List.of(serverArgs);
        return new ServerModel(name, summary, args, config -> ServerMain.create(args, config), () -> null, true);
    }

    /** The same model, run by compare only when named in {@code --models}. */
    public ServerModel comparedOnRequest() {
        return new ServerModel(name, summary, serverArgs, factory, unavailable, false);
    }

    /** The same model, unavailable where {@code reason} gives a reason (e.g. virtual threads on Java 17). */
    public ServerModel unavailableWhen(Supplier<String> reason) {
        return new ServerModel(name, summary, serverArgs, factory, reason, compared);
    }

    /** Null where this model can run in this JVM, else the reason. */
    public String unavailableReason() {
        return unavailable.get();
    }

    @Override
    public String toString() {
        return name;
    }
}
