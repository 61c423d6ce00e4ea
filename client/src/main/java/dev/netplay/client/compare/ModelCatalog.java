package dev.netplay.client.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The server models as the server jar lists them ({@code server models}), run on the JVM that will run the servers:
 * which models exist and which that JVM can run are the server's facts, read from it, not decided in this JVM.
 */
public final class ModelCatalog {
    /** How long the server JVM may take to list its models. */
    static final long LIST_TIMEOUT_SECONDS = 60;

    /** One model: its name, whether compare runs it by default, why the servers' JVM cannot run it (null: it can). */
    public record Model(String name, boolean compared, String unavailable, List<String> serverArgs, String summary) {
    }

    private final List<Model> models;

    ModelCatalog(List<Model> models) {
        this.models = List.copyOf(models);
    }

    /** Runs {@code java -jar serverJar models} and reads its lines. */
    public static ModelCatalog read(Path java, Path serverJar) throws IOException, InterruptedException {
        if (!Files.isRegularFile(serverJar)) {
            throw new IllegalArgumentException("--server-jar " + serverJar + " does not exist (build it: mvn -DskipTests package)");
        }
        Process p = new ProcessBuilder(java.toString(), "-jar", serverJar.toString(), "models").redirectErrorStream(true).start();
        byte[] output;
        try {
            p.getOutputStream().close();
            output = p.getInputStream().readAllBytes();
            if (!p.waitFor(LIST_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException(serverJar + " models did not finish within " + LIST_TIMEOUT_SECONDS + " s");
            }
        } finally {
            p.destroy();
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IllegalStateException(java + " -jar " + serverJar + " models exited with " + p.exitValue() + ": " + text.trim());
        }
        return parse(text);
    }

    /** The tab-separated listing, header first (its columns found by name). */
    static ModelCatalog parse(String listing) {
        List<String> lines = listing.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw new IllegalStateException("the server jar listed no models");
        }
        List<String> header = Arrays.asList(lines.get(0).split("\t", -1));
        int name = column(header, "name");
        int compared = column(header, "compared");
        int unavailable = column(header, "unavailable");
        int command = column(header, "command");
        int summary = column(header, "summary");
        List<Model> models = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split("\t", -1);
            if (f.length < header.size()) {
                throw new IllegalStateException("a model line of " + f.length + " fields, not " + header.size() + ": " + line);
            }
            models.add(new Model(f[name], f[compared].equals("yes"), f[unavailable].isEmpty() ? null : f[unavailable],
                    List.of(f[command].split(" ")), f[summary]));
        }
        return new ModelCatalog(models);
    }

    private static int column(List<String> header, String name) {
        int i = header.indexOf(name);
        if (i < 0) {
            throw new IllegalStateException("the server's model list has no column '" + name + "' (header: " + header + ")");
        }
        return i;
    }

    public List<Model> all() {
        return models;
    }

    /** The models compare runs when none are named. */
    public List<Model> defaults() {
        return models.stream().filter(Model::compared).toList();
    }

    public List<String> names() {
        return models.stream().map(Model::name).toList();
    }

    /** The model of this name; an unknown name fails naming the known ones. */
    public Model named(String name) {
        return models.stream().filter(m -> m.name().equalsIgnoreCase(name.trim())).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not a server model (expected one of: "
                        + String.join(", ", names()) + ")"));
    }
}
