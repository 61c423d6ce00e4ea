package dev.netplay.client.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.netplay.client.profile.Collapsed;
import dev.netplay.client.results.LevelResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The profiles of a run ({@code compare --profile}) as report.html draws them: for each model and level, its CPU
 * (and wall-clock) stacks merged into one tree, frames under {@link #MIN_SHARE} of the samples folded into their
 * parent, every frame name stored once for all graphs. flame.js draws them; a model whose profile is missing is listed
 * with its reason.
 */
final class FlameGraphs {
    /** Frames taking less than this share of a graph's samples are left out: too narrow to see, and they make it big. */
    static final double MIN_SHARE = 0.001;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> names = new ArrayList<>();
    private final Map<String, Integer> nameIds = new HashMap<>();
    private final ArrayNode graphs = JSON.createArrayNode();
    private final ArrayNode missing = JSON.createArrayNode();

    private FlameGraphs() {
    }

    /** The graphs of every profiled level, or null if no level of any series has a profile. */
    static FlameGraphs of(List<Series> series, List<Path> sources, Path reportDir) throws IOException {
        FlameGraphs f = new FlameGraphs();
        boolean any = false;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            Path source = i < sources.size() ? sources.get(i) : null;
            for (LevelResult l : s.target().levels()) {
                LevelResult.ProfileFigures p = l.profile();
                if (p == null) {
                    continue;
                }
                any = true;
                if (p.cpu() == null || source == null) {
                    f.missing.addObject().put("model", s.label()).put("level", l.connections())
                            .put("note", p.note() == null ? "no profile files beside the results" : p.note());
                    continue;
                }
                f.add(s.label(), l.connections(), "cpu", p.engine(), source, p.cpu(), p.cpuHtml(), p.note(), reportDir);
                if (p.wall() != null) {
                    f.add(s.label(), l.connections(), "wall", "wall clock", source, p.wall(), p.wallHtml(), null, reportDir);
                }
            }
        }
        return any ? f : null;
    }

    private void add(String model, int level, String kind, String engine, Path source, String file, String html, String note,
                     Path reportDir) throws IOException {
        Path stacks = source.resolve(file);
        if (!Files.isRegularFile(stacks)) {
            missing.addObject().put("model", model).put("level", level).put("note", file + " is not beside the results");
            return;
        }
        Node root = new Node(id("all"));
        Collapsed.read(stacks).stacks().forEach((stack, n) -> {
            Node node = root;
            node.value += n;
            for (String frame : Collapsed.frames(stack)) {
                node = node.children.computeIfAbsent(id(frame), Node::new);
                node.value += n;
            }
        });
        ObjectNode g = graphs.addObject().put("model", model).put("level", level).put("kind", kind).put("engine", engine)
                .put("total", root.value).put("note", note);
        Path page = html == null ? null : source.resolve(html);
        g.put("html", page == null || !Files.isRegularFile(page) ? null : Report.inside(reportDir, page.toString()));
        g.set("tree", root.encode((long) Math.ceil(root.value * MIN_SHARE)));
    }

    private int id(String name) {
        return nameIds.computeIfAbsent(name, n -> {
            names.add(n);
            return names.size() - 1;
        });
    }

    /** The data as JSON for a script element: no "<", ">" or "&" outside escapes. */
    String json() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode n = root.putArray("names");
        names.forEach(n::add);
        root.set("graphs", graphs);
        root.set("missing", missing);
        return JSON.writeValueAsString(root).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
    }

    int graphCount() {
        return graphs.size();
    }

    /** A frame in the merged tree: its name's id, its samples with its callees', its callees by name. */
    private static final class Node {
        final int name;
        long value;
        final Map<Integer, Node> children = new LinkedHashMap<>();

        Node(int name) {
            this.name = name;
        }

        /** [name, value, child, child ...], children of at least {@code min} samples, widest first. */
        ArrayNode encode(long min) {
            ArrayNode a = JSON.createArrayNode().add(name).add(value);
            children.values().stream().filter(c -> c.value >= min).sorted((x, y) -> Long.compare(y.value, x.value))
                    .forEach(c -> a.add(c.encode(min)));
            return a;
        }
    }
}
