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
            csv.write("target,connections,request,requests,throughput_rps,p50_ms,p90_ms,p99_ms,p999_ms,max_ms\n");
            for (TargetResult t : run.targets()) {
                for (LevelResult l : t.levels()) {
                    if (l.byCommand() == null) {
                        continue;
                    }
                    for (var c : l.byCommand().entrySet()) {
                        LevelResult.Latency lat = c.getValue().latency();
                        csv.write(String.join(",", t.name(), Integer.toString(l.connections()), "\"" + c.getKey() + "\"",
                                Long.toString(c.getValue().requests()), Double.toString(c.getValue().throughputRps()),
                                lat == null ? "" : Double.toString(lat.p50Ms()), lat == null ? "" : Double.toString(lat.p90Ms()),
                                lat == null ? "" : Double.toString(lat.p99Ms()), lat == null ? "" : Double.toString(lat.p999Ms()),
                                lat == null ? "" : Double.toString(lat.maxMs())) + "\n");
                    }
                }
            }
        }
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
        cells.add(target.contains(",") ? "\"" + target + "\"" : target);
        Figures.ALL.forEach(f -> cells.add(f.csvCell(l)));
        return String.join(",", cells);
    }
}
