package dev.netplay.client.report;

import dev.netplay.client.results.Bound;
import dev.netplay.client.results.Knee;
import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.Repeats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's first lines: one sentence per model, what it held and where it bent, computed from the results
 * ("netty: 10,000 connections at 99.9% of the ideal on 8 threads and 192 MiB; at 19,000, 86.2%: the load client's CPU
 * was the limit").
 */
final class Headline {
    private Headline() {
    }

    static List<String> of(List<Series> series) {
        List<String> out = new ArrayList<>();
        for (Series s : series) {
            out.add(of(s));
        }
        return out;
    }

    static String of(Series s) {
        LevelResult held = null;
        LevelResult bent = null;
        for (LevelResult l : s.levels()) {
            if (l.achievedRatio() == null) {
                continue;
            }
            if (holds(l) && bent == null) {
                held = l;
            } else if (bent == null) {
                bent = l;
            }
        }
        StringBuilder line = new StringBuilder(s.label()).append(": ");
        if (held == null && bent == null) {
            LevelResult top = s.top();
            return line.append(String.format(Locale.ROOT, "%,.0f requests/s at %,d connections", top.throughputRps(), top.connections()))
                    .append(resources(top)).toString();
        }
        if (held != null) {
            line.append(String.format(Locale.ROOT, "%,d connections at %s of the ideal", held.connections(), share(held)))
                    .append(resources(held));
        } else {
            line.append("held no level");
        }
        if (bent != null) {
            line.append(held == null ? ": " : "; ").append(String.format(Locale.ROOT, "at %,d, %s", bent.connections(), share(bent)));
            if (bent.connectionsEstablished() < bent.connections()) {
                line.append(String.format(Locale.ROOT, " with %,d connections up", bent.connectionsEstablished()));
            }
            if (held == null) {
                line.append(resources(bent));
            }
            String why = why(bent);
            if (!why.isEmpty()) {
                line.append(": ").append(why);
            }
            Double scheduler = bent.profile() == null ? null : bent.profile().schedulerPct();
            if (scheduler != null) { // compare --profile: where the CPU went as it bent
                line.append(why.isEmpty() ? ": " : ", ").append(String.format(Locale.ROOT,
                        "%.0f%% of its CPU in the kernel's scheduler", scheduler));
            }
        }
        Knee k = s.target().knee();
        if (k != null && k.connections() != null) {
            line.append("; knee ").append(String.format(Locale.ROOT, "%s%,d", k.above() ? "≥ " : "", k.connections()));
            if (k.min() != null && k.max() != null && !k.min().equals(k.max())) {
                line.append(String.format(Locale.ROOT, " (%,d–%,d)", k.min(), k.max()));
            }
        }
        return line.append('.').toString();
    }

    /** Held: at least {@link Findings#BENT} of C/D with every connection up. */
    static boolean holds(LevelResult l) {
        return l.achievedRatio() != null && l.achievedRatio() >= Findings.BENT && l.connectionsEstablished() >= l.connections();
    }

    private static String share(LevelResult l) {
        String s = String.format(Locale.ROOT, "%.1f%%", l.achievedRatio() * 100);
        Repeats.Range r = l.runs().size() < 2 ? null : Repeats.range(l, LevelResult::achievedRatio);
        if (r != null && r.min() != r.max()) {
            s += String.format(Locale.ROOT, " (%.1f–%.1f%% in %d runs)", r.min() * 100, r.max() * 100, r.count());
        }
        return s;
    }

    private static String resources(LevelResult l) {
        StringBuilder s = new StringBuilder();
        if (l.serverThreads() != null) {
            s.append(String.format(Locale.ROOT, " on %,d thread%s", l.serverThreads(), l.serverThreads() == 1 ? "" : "s"));
        }
        if (l.serverRssMib() != null) {
            s.append(String.format(Locale.ROOT, "%s %,.0f MiB", s.length() == 0 ? " in" : " and", l.serverRssMib()));
        }
        return s.toString();
    }

    private static String why(LevelResult l) {
        Bound b = l.diagnosis() == null ? null : l.diagnosis().bound();
        if (b == null) {
            return "";
        }
        return switch (b) {
            case SERVER_CPU -> "its CPU was the limit";
            case CLIENT_CPU -> "the load client's CPU was the limit (that level measures the client)";
            case CLIENT_LAG -> "the load client fell behind (that level measures the client)";
            case MACHINE -> "the machine was busy with other work";
            default -> "";
        };
    }
}
