package dev.netplay.client.results;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** results.json (every figure) and results.csv (one row per target and level): written, and read back. */
public final class ResultsFiles {
    public static final String JSON = "results.json";
    public static final String CSV = "results.csv";
    /** Beside a level's .hlog, the server's INFO readings over the level (written by the load client's window). */
    public static final String TIMELINE_SUFFIX = ".server.tsv";

    /** A level's interval log: {@code netty-1000.hlog}, {@code netty-1000-r2.hlog} for repeat 2 ({@code tag} "-r2"). */
    public static String hlogName(String target, int connections, String tag) {
        return target.replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + connections + tag + ".hlog";
    }

    /** The level's server timeline beside its .hlog: {@code netty-1000-r2.server.tsv}. */
    public static String timelineName(String hlogName) {
        return hlogName.replaceFirst("\\.hlog$", "") + TIMELINE_SUFFIX;
    }
    /** The target, then every figure of the catalogue, in its order. */
    static final List<String> CSV_COLUMNS = java.util.stream.Stream.concat(java.util.stream.Stream.of("target"),
            Figures.ALL.stream().map(Figure::csv)).toList();

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ResultsFiles() {
    }

    public static void write(RunResult run, Path dir) throws IOException {
        Files.createDirectories(dir);
        MAPPER.writeValue(dir.resolve(JSON).toFile(), run);
        try (Writer csv = Files.newBufferedWriter(dir.resolve(CSV))) {
            csv.write(String.join(",", CSV_COLUMNS) + "\n");
            for (TargetResult t : run.targets()) {
                for (LevelResult l : t.levels()) {
                    csv.write(csvRow(t.name(), l) + "\n");
                }
            }
        }
        if (run.targets().stream().flatMap(t -> t.levels().stream()).anyMatch(l -> l.byCommand() != null)) {
            writeByCommand(run, dir.resolve(CSV_BY_COMMAND));
        }
    }

    /** With {@code --mix}: one row per target, level and request. */
    public static final String CSV_BY_COMMAND = "results-by-command.csv";

    private static void writeByCommand(RunResult run, Path file) throws IOException {
        try (Writer csv = Files.newBufferedWriter(file)) {
            csv.write(String.join(",", CSV_BY_COMMAND_COLUMNS) + "\n");
            for (TargetResult t : run.targets()) {
                for (LevelResult l : t.levels()) {
                    for (Figures.CommandRow row : Figures.CommandRow.of(l)) {
                        List<String> cells = new ArrayList<>(List.of(csvText(t.name()), Figures.ALL.get(0).csvCell(l)));
                        Figures.BY_COMMAND.forEach(f -> cells.add(f.csvCell(row)));
                        csv.write(String.join(",", cells) + "\n");
                    }
                }
            }
        }
    }

    /** results-by-command.csv's columns: the target, the connections, then the by-command figures. */
    static final List<String> CSV_BY_COMMAND_COLUMNS = java.util.stream.Stream.concat(
            java.util.stream.Stream.of("target", Figures.ALL.get(0).csv()), Figures.BY_COMMAND.stream().map(Figure::csv)).toList();

    private static String csvText(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    /** Reads a results.json, or the one inside a directory. */
    public static RunResult read(Path fileOrDir) throws IOException {
        Path file = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(JSON) : fileOrDir;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException(fileOrDir + " has no " + JSON);
        }
        return MAPPER.readValue(file.toFile(), RunResult.class);
    }

    static String csvRow(String target, LevelResult l) {
        List<String> cells = new ArrayList<>();
        cells.add(csvText(target));
        Figures.ALL.forEach(f -> cells.add(f.csvCell(l)));
        return String.join(",", cells);
    }
}
