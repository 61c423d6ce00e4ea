package dev.netplay.common.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** A Linux CPU list, as {@code taskset -c} and {@code Cpus_allowed_list} write it: {@code 0-3,6,8-9}. */
public record CpuList(List<Integer> cpus) {
    /** CPU numbers this large are surely a typo; Linux's own limit is 8192 by default. */
    public static final int MAX_CPU = 8191;

    public CpuList {
        cpus = List.copyOf(new TreeSet<>(cpus));
    }

    /** Parses {@code 0-3,6}; fails with a message that names the bad part. */
    public static CpuList parse(String text) {
        List<Integer> cpus = new ArrayList<>();
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty CPU list (expected e.g. 0 or 0-3,6)");
        }
        for (String part : text.trim().split(",")) {
            String p = part.trim();
            if (!p.matches("[0-9]{1,5}(-[0-9]{1,5})?")) {
                throw new IllegalArgumentException("CPU list '" + text + "' has a bad part '" + p + "' (expected e.g. 0 or 0-3,6)");
            }
            int dash = p.indexOf('-');
            int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash));
            int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1));
            if (from > to || to > MAX_CPU) {
                throw new IllegalArgumentException("CPU list '" + text + "' has a bad range '" + p + "' (expected 0.." + MAX_CPU
                        + ", low to high)");
            }
            for (int c = from; c <= to; c++) {
                cpus.add(c);
            }
        }
        return new CpuList(cpus);
    }

    public int size() {
        return cpus.size();
    }

    public boolean isEmpty() {
        return cpus.isEmpty();
    }

    public boolean overlaps(CpuList other) {
        return cpus.stream().anyMatch(other.cpus::contains);
    }

    public boolean containsAll(CpuList other) {
        return cpus.containsAll(other.cpus);
    }

    /** The first {@code n} CPUs and the rest. */
    public CpuList head(int n) {
        return new CpuList(cpus.subList(0, Math.min(n, cpus.size())));
    }

    public CpuList tail(int n) {
        return new CpuList(cpus.subList(Math.min(n, cpus.size()), cpus.size()));
    }

    /** The compact form: ranges joined with commas. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < cpus.size()) {
            int j = i;
            while (j + 1 < cpus.size() && cpus.get(j + 1) == cpus.get(j) + 1) {
                j++;
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(cpus.get(i));
            if (j > i) {
                out.append('-').append(cpus.get(j));
            }
            i = j + 1;
        }
        return out.toString();
    }
}
