package dev.netplay.client.compare;

import dev.netplay.common.metrics.CpuList;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Which CPUs the servers and the load client run on. By default they get disjoint halves of the CPUs this process
 * may use (the client the lower half, the server the upper, which gets the odd one out): every model then has the
 * same CPU budget, and a level's bend can be told apart from the client's or the machine's.
 *
 * @param pinned     false: every role runs on every CPU, and {@code note} says why
 * @param serverCpus null when not pinned
 * @param clientCpus null when not pinned
 */
record CpuPlan(boolean pinned, CpuList serverCpus, CpuList clientCpus, String note) {
    static final String TASKSET = "taskset";
    private static final long TASKSET_TIMEOUT_SECONDS = 10;

    /**
     * @param allowed   the CPUs this process may use; null if unknown
     * @param taskset   whether {@code taskset} can be run
     * @param server    --server-cpus, or null
     * @param client    --client-cpus, or null
     * @param noPin     --no-pin
     */
    static CpuPlan decide(CpuList allowed, boolean taskset, CpuList server, CpuList client, boolean noPin) {
        if (noPin) {
            return unpinned("CPUs not pinned (--no-pin): the servers and the load client shared every CPU, so a bend may be "
                    + "the client's or the machine's, not the model's");
        }
        if (allowed == null) {
            return unpinned("CPUs not pinned: this system does not say which CPUs a process may use (no /proc)");
        }
        if (!taskset) {
            return unpinned("CPUs not pinned: 'taskset' (util-linux) was not found, so the servers and the load client shared "
                    + "CPUs " + allowed);
        }
        for (CpuList given : new CpuList[] {server, client}) {
            if (given != null && !allowed.containsAll(given)) {
                throw new IllegalArgumentException("CPU list " + given + " is not within the CPUs this process may use (" + allowed + ")");
            }
        }
        if (server != null && client != null && server.overlaps(client)) {
            throw new IllegalArgumentException("--server-cpus " + server + " and --client-cpus " + client + " overlap (they must be disjoint)");
        }
        if (server == null && client == null && allowed.size() < 2) {
            return unpinned("CPUs not pinned: this process may use one CPU (" + allowed + "), so the servers and the load client "
                    + "shared it");
        }
        CpuList s = server;
        CpuList c = client;
        if (s == null && c == null) {
            c = allowed.head(allowed.size() / 2);
            s = allowed.tail(allowed.size() / 2);
        } else if (s == null) {
            s = minus(allowed, c);
        } else if (c == null) {
            c = minus(allowed, s);
        }
        if (s.isEmpty() || c.isEmpty()) {
            throw new IllegalArgumentException("no CPU left for the " + (s.isEmpty() ? "servers" : "load client") + " (this process may use "
                    + allowed + ")");
        }
        return new CpuPlan(true, s, c, "CPUs pinned with taskset: every server on CPU " + s + ", the load client on CPU " + c
                + (server == null && client == null ? " (the upper and lower halves of CPUs " + allowed + ")" : ""));
    }

    private static CpuPlan unpinned(String note) {
        return new CpuPlan(false, null, null, note);
    }

    private static CpuList minus(CpuList all, CpuList taken) {
        List<Integer> rest = new ArrayList<>(all.cpus());
        rest.removeAll(taken.cpus());
        return new CpuList(rest);
    }

    /** Whether {@code taskset} is on the PATH. */
    static boolean tasksetAvailable() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, TASKSET))) {
                return true;
            }
        }
        return false;
    }

    /** The prefix that runs a server on its CPUs; empty when not pinned. */
    List<String> serverPrefix() {
        return pinned ? List.of(TASKSET, "-c", serverCpus.toString()) : List.of();
    }

    /** The prefix that runs a process on the client's CPUs (a backend compare starts); empty when not pinned. */
    List<String> clientPrefix() {
        return pinned ? List.of(TASKSET, "-c", clientCpus.toString()) : List.of();
    }

    /** Moves every thread of this process onto the client's CPUs; threads started later inherit them. */
    void pinThisProcess() throws IOException, InterruptedException {
        if (!pinned) {
            return;
        }
        Process p = new ProcessBuilder(TASKSET, "-a", "-p", "-c", clientCpus.toString(), Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes()).strip();
        if (!p.waitFor(TASKSET_TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("taskset could not pin the load client to CPU " + clientCpus + ": " + output);
        }
    }
}
