package dev.netplay.client.report;

import dev.netplay.client.results.Bound;
import dev.netplay.client.results.Diagnosis;
import dev.netplay.client.results.LevelResult;
import dev.netplay.client.results.Repeats;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The "what this shows" sentences: every number in them is computed from the results, none is canned. */
final class Findings {
    /** Below this share of the ideal, a level has bent. */
    static final double BENT = 0.99;

    private Findings() {
    }

    static List<String> of(List<Series> series) {
        List<String> out = new ArrayList<>();
        if (series.isEmpty()) {
            return out;
        }
        for (Series s : series) {
            if (s.target().knee() != null) {
                out.add(s.label() + " " + dev.netplay.client.results.SummaryTable.kneeText(s.target().knee()) + ".");
            }
        }
        int level = commonTopLevel(series);
        Series reference = series.get(0);
        LevelResult ref = at(reference, level);
        for (Series s : series) {
            LevelResult l = at(s, level);
            if (l == null) {
                continue;
            }
            StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "At %,d connections, %s completed %,.0f requests/s",
                    l.connections(), s.label(), l.throughputRps()));
            if (l.achievedRatio() != null) {
                line.append(String.format(Locale.ROOT, " (%.1f%% of the ideal %,.0f%s)", l.achievedRatio() * 100, l.idealRps(),
                        spread(l)));
            }
            if (l.latency() != null) {
                line.append(String.format(Locale.ROOT, ", median latency %s ms, p99 %s ms", ms(l.latency().p50Ms()), ms(l.latency().p99Ms())));
            }
            if (l.serverThreads() != null) {
                line.append(String.format(Locale.ROOT, ", with %,d server threads", l.serverThreads()));
            }
            if (l.serverRssMib() != null) {
                line.append(String.format(Locale.ROOT, ", %,.0f MiB resident", l.serverRssMib()));
                if (l.serverKibPerConnection() != null) {
                    line.append(String.format(Locale.ROOT, " (%.1f KiB per connection above idle)", l.serverKibPerConnection()));
                }
            }
            if (l.serverCpuUsPerRequest() != null) {
                line.append(String.format(Locale.ROOT, " and %s µs of server CPU per request", ms(l.serverCpuUsPerRequest())));
            }
            line.append('.');
            if (l.errors() > 0 || l.connectsFailed() > 0) {
                line.append(String.format(Locale.ROOT, " It had %,d failed requests (%,d of them timeouts) and %,d failed connects.",
                        l.errors(), l.timeouts(), l.connectsFailed()));
            }
            if (s != reference && ref != null) {
                String ratios = ratios(s, l, reference, ref);
                if (!ratios.isEmpty()) {
                    line.append(' ').append(ratios);
                }
            }
            out.add(line.toString());
            String why = why(s, l);
            if (why != null) {
                out.add(why);
            }
        }
        for (Series s : series) {
            for (LevelResult l : s.levels()) {
                String disturbed = disturbed(s, l);
                if (disturbed != null) {
                    out.add(disturbed);
                }
            }
        }
        for (Series s : series) {
            for (LevelResult l : s.levels()) {
                Diagnosis d = l.diagnosis();
                if (d != null && d.bound() == Bound.CLIENT_CPU) {
                    out.add(String.format(Locale.ROOT, "%s at %,d connections: the load client's CPU %s was %s%% busy, so that level "
                                    + "measures the client, not the server.", s.label(), l.connections(), d.placement().clientCpus(),
                            pct(d.busy().clientCoresPercent() != null ? d.busy().clientCoresPercent() : d.clientCpuPercent())));
                }
            }
        }
        return out;
    }

    /** "; 59.1–97.0% in 3 runs: unstable" for a repeated level; empty for one measured once. */
    static String spread(LevelResult l) {
        Repeats.Range r = Repeats.range(l, LevelResult::achievedRatio);
        if (r == null || r.count() < 2) {
            return "";
        }
        return String.format(Locale.ROOT, "; %.1f–%.1f%% in %d runs%s", r.min() * 100, r.max() * 100, r.count(),
                Repeats.unstable(l) ? ": unstable, the model is at its edge here" : "");
    }

    /**
     * The repeats of a level that measured the machine or the client's lag rather than the model, by number; null if
     * none did. (A level measured once says so in the same words, without a repeat number.)
     */
    static String disturbed(Series s, LevelResult l) {
        List<String> parts = new ArrayList<>();
        for (LevelResult run : l.runs()) {
            Diagnosis d = run.diagnosis();
            if (d == null || d.bound() != Bound.MACHINE && d.bound() != Bound.CLIENT_LAG) {
                continue;
            }
            String who = run.repeat() == null ? "" : "repeat " + run.repeat() + ": ";
            parts.add(who + (d.bound() == Bound.MACHINE
                    ? String.format(Locale.ROOT, "the machine was busy with something else (steal %s%%, other processes %s%% of a CPU)",
                    d.busy().stealPercent() == null ? "?" : num(d.busy().stealPercent()), d.busy().otherCpuPercent() == null ? "?" : num(d.busy().otherCpuPercent()))
                    : String.format(Locale.ROOT, "the load client lagged %s ms at p99 behind its own plan",
                    d.busy().clientLagP99Ms() == null ? "?" : num(d.busy().clientLagP99Ms()))));
        }
        if (parts.isEmpty()) {
            return null;
        }
        return String.format(Locale.ROOT, "%s at %,d connections does not measure the model alone: %s.", s.label(),
                l.connections(), String.join("; ", parts));
    }

    /**
     * Whether the model bent at this level, how far, and what was measured about why: threads, context switches and
     * run-queue wait per request, GC, and how busy its CPUs were. Null when nothing was measured.
     */
    static String why(Series s, LevelResult l) {
        Diagnosis d = l.diagnosis();
        if (d == null || d.ctxSwitchesPerReq() == null && d.busy().serverCoresPercent() == null) {
            return null;
        }
        StringBuilder w = new StringBuilder(String.format(Locale.ROOT, "Why: %s at %,d", s.label(), l.connections()));
        if (l.achievedRatio() != null) {
            w.append(l.achievedRatio() < BENT ? String.format(Locale.ROOT, " bent to %.1f%% of the ideal", l.achievedRatio() * 100)
                    : String.format(Locale.ROOT, " kept %.1f%% of the ideal", l.achievedRatio() * 100));
        }
        List<String> parts = new ArrayList<>();
        if (l.serverThreads() != null) {
            parts.add(String.format(Locale.ROOT, "%,d threads", l.serverThreads()));
        }
        if (d.ctxSwitchesPerReq() != null && d.runqueueWaitUsPerReq() != null) {
            parts.add(String.format(Locale.ROOT, "%s context switches and %s µs run-queue wait per request", num(d.ctxSwitchesPerReq()),
                    num(d.runqueueWaitUsPerReq())));
        }
        if (d.serverUserUsPerReq() != null && d.serverSysUsPerReq() != null) {
            parts.add(String.format(Locale.ROOT, "%s µs user + %s µs system CPU per request", num(d.serverUserUsPerReq()),
                    num(d.serverSysUsPerReq())));
        }
        if (d.gcPauseMsPerS() != null) {
            parts.add(String.format(Locale.ROOT, "GC pauses %s ms per second (longest %s ms)", num(d.gcPauseMsPerS()),
                    d.jvm().gcMaxPauseMs() == null ? "?" : num(d.jvm().gcMaxPauseMs())));
        }
        if (d.jvm().sleepOvershootP99Ms() != null) {
            parts.add(String.format(Locale.ROOT, "SLEEPs resumed %s ms late at p99 on the server", num(d.jvm().sleepOvershootP99Ms())));
        }
        if (d.busy().serverCoresPercent() != null) {
            boolean one = d.placement().serverCpus() != null && d.placement().serverCpus().matches("[0-9]+");
            parts.add(String.format(Locale.ROOT, one ? "its CPU %s was %s%% busy" : "its CPUs %s were %s%% busy",
                    d.placement().serverCpus() == null ? "" : d.placement().serverCpus(), pct(d.busy().serverCoresPercent())).replace("  ", " "));
        }
        w.append(": ").append(String.join(", ", parts));
        Bound bound = d.bound();
        if (bound == Bound.SERVER_CPU) {
            w.append(": CPU-bound.");
            if (d.busy().clientCoresPercent() != null && d.busy().clientCoresPercent() >= Bound.CLIENT_BUSY_PERCENT) {
                w.append(String.format(Locale.ROOT, " The load client's CPU %s was %s%% busy too (timeouts make it reconnect): "
                        + "its latency figures include its own delay.", d.placement().clientCpus(), pct(d.busy().clientCoresPercent())));
            }
        } else if (bound == Bound.CLIENT_CPU) {
            w.append(": the load client was the limit, not the server.");
        } else if (l.achievedRatio() != null && l.achievedRatio() < BENT) {
            w.append(": not CPU-bound; ").append(largestDelay(d)).append('.');
        } else {
            w.append('.');
        }
        return w.toString();
    }

    /** For a level that bent with CPU to spare: the largest delay measured on the server, by kind. */
    static String largestDelay(Diagnosis d) {
        double gc = d.jvm().gcMaxPauseMs() == null ? 0 : d.jvm().gcMaxPauseMs();
        double late = d.jvm().sleepOvershootP99Ms() == null ? 0 : d.jvm().sleepOvershootP99Ms();
        double queued = d.runqueueWaitUsPerReq() == null ? 0 : d.runqueueWaitUsPerReq() / 1000;
        if (gc == 0 && late == 0 && queued == 0) {
            return "nothing measured on the server explains it (look at the client's figures)";
        }
        if (gc >= late && gc >= queued) {
            return String.format(Locale.ROOT, "the largest delay measured on the server is a GC pause of %s ms", num(gc));
        }
        if (late >= queued) {
            return String.format(Locale.ROOT, "its SLEEPs resumed up to %s ms late (p99) while its CPU had time to spare: "
                    + "the delay is in waking what waits (timers, the scheduler's queues), not in the work", num(late));
        }
        return String.format(Locale.ROOT, "its threads waited %s ms per request for a CPU (run-queue wait)", num(queued));
    }

    private static String pct(Double v) {
        return v == null ? "?" : String.format(Locale.ROOT, "%.0f", v);
    }

    private static String num(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%,.0f" : v >= 10 ? "%.1f" : "%.2f", v);
    }

    private static String ratios(Series s, LevelResult l, Series reference, LevelResult ref) {
        List<String> parts = new ArrayList<>();
        if (l.serverThreads() != null && ref.serverThreads() != null && ref.serverThreads() > 0) {
            parts.add(times((double) l.serverThreads() / ref.serverThreads()) + " the threads");
        }
        if (l.serverRssMib() != null && ref.serverRssMib() != null && ref.serverRssMib() > 0) {
            parts.add(times(l.serverRssMib() / ref.serverRssMib()) + " the memory");
        }
        if (l.serverCpuUsPerRequest() != null && ref.serverCpuUsPerRequest() != null && ref.serverCpuUsPerRequest() > 0) {
            parts.add(times(l.serverCpuUsPerRequest() / ref.serverCpuUsPerRequest()) + " the CPU per request");
        }
        if (ref.throughputRps() > 0) {
            parts.add(times(l.throughputRps() / ref.throughputRps()) + " the throughput");
        }
        if (parts.isEmpty()) {
            return "";
        }
        return "Against " + reference.label() + " at the same level: " + String.join(", ", parts) + ".";
    }

    /** The highest level every series measured (or the lowest top level, if they share none). */
    static int commonTopLevel(List<Series> series) {
        int best = -1;
        for (LevelResult l : series.get(0).levels()) {
            boolean everywhere = series.stream().allMatch(s -> at(s, l.connections()) != null);
            if (everywhere) {
                best = Math.max(best, l.connections());
            }
        }
        if (best > 0) {
            return best;
        }
        return series.stream().mapToInt(s -> s.top().connections()).min().orElse(0);
    }

    static LevelResult at(Series s, int connections) {
        for (LevelResult l : s.levels()) {
            if (l.connections() == connections) {
                return l;
            }
        }
        return null;
    }

    private static String times(double ratio) {
        return String.format(Locale.ROOT, ratio >= 10 ? "%,.0f×" : "%.2f×", ratio);
    }

    private static String ms(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%,.1f" : "%.2f", v);
    }
}
