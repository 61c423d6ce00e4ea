package dev.netplay.client.results;

/**
 * What limited a level, judged from how busy each role's CPUs were over the measured window. A client-bound level
 * does not measure the server. When both roles' CPUs were saturated the server's label wins: a server that falls
 * behind makes its clients time out and reconnect, which is what then keeps the client busy (the report says that
 * the client was saturated too).
 */
public enum Bound {
    NONE("none"), SERVER_CPU("server-cpu"), CLIENT_CPU("client-cpu"),
    /** Something besides the roles measured took CPU (steal or other processes): the level measures the machine. */
    MACHINE("machine"),
    /** The load client fell behind its own plan: the level measures the client. */
    CLIENT_LAG("client-lag");

    /** Stolen time at least this share (%) of the machine's CPU time: the hypervisor took CPU the roles wanted. */
    public static final double STEAL_PERCENT = 5;
    /** Other processes at least this busy (% of one CPU): they competed with the roles for CPU. */
    public static final double OTHER_CPU_PERCENT = 10;
    /**
     * The client's lag at p99 at least this long (ms): its sends left that late, which a 1,000 ms request's figures
     * notice (a 1% shift of C/D at 10 ms; at 50 ms, the knee's 99% mark is out of reach).
     */
    public static final double CLIENT_LAG_P99_MS = 50;

    /** The server's CPUs at least this busy (%): the server had no CPU to spare. */
    public static final double SERVER_BUSY_PERCENT = 95;
    /** The client's CPUs at least this busy (%): lower than the server's mark, since a busy client delays its own clock. */
    public static final double CLIENT_BUSY_PERCENT = 90;

    public final String label;

    Bound(String label) {
        this.label = label;
    }

    /** As results.json writes it: its label. */
    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
        return label;
    }

    /**
     * @param serverCoresBusy % busy of the server's CPUs (/proc/stat), null if unknown (not on this machine)
     * @param clientCoresBusy % busy of the client's CPUs (/proc/stat), null if unknown
     * @param shared          the two roles may run on the same CPUs (unpinned): busy cores are then blamed on the
     *                        process that used more of them
     * @param serverCpuPercent the server process's CPU, % of its CPUs; null if unknown
     * @param clientCpuPercent the client process's CPU, % of its CPUs
     */
    public static Bound classify(Double serverCoresBusy, Double clientCoresBusy, boolean shared, Double serverCpuPercent,
                                 Double clientCpuPercent) {
        if (!shared) {
            if (serverCoresBusy != null && serverCoresBusy >= SERVER_BUSY_PERCENT) {
                return SERVER_CPU;
            }
            if (clientCoresBusy != null && clientCoresBusy >= CLIENT_BUSY_PERCENT) {
                return CLIENT_CPU;
            }
            return NONE;
        }
        Double busy = serverCoresBusy != null ? serverCoresBusy : clientCoresBusy;
        if (clientCpuPercent != null && clientCpuPercent >= CLIENT_BUSY_PERCENT) {
            return CLIENT_CPU;
        }
        if (busy == null || busy < SERVER_BUSY_PERCENT) {
            return NONE;
        }
        if (serverCpuPercent == null || clientCpuPercent == null) {
            return SERVER_CPU; // no shares to compare: the definition alone, the server's CPUs were saturated
        }
        return serverCpuPercent >= clientCpuPercent ? SERVER_CPU : CLIENT_CPU;
    }

    /**
     * The bound of a level, all things known: the machine first (a disturbed level says nothing of the model, whatever
     * else it shows), then the CPUs' bound, then the client's lag. Null figures are unknown and pass.
     */
    public static Bound judge(Bound cpus, Double stealPercent, Double otherCpuPercent, Double clientLagP99Ms) {
        if (stealPercent != null && stealPercent >= STEAL_PERCENT || otherCpuPercent != null && otherCpuPercent >= OTHER_CPU_PERCENT) {
            return MACHINE;
        }
        if (cpus != NONE) {
            return cpus;
        }
        return clientLagP99Ms != null && clientLagP99Ms >= CLIENT_LAG_P99_MS ? CLIENT_LAG : NONE;
    }

    /** Whether a level of this bound measures something other than the model: the client or the machine. */
    public boolean disturbed() {
        return this == CLIENT_CPU || this == CLIENT_LAG || this == MACHINE;
    }

    /** The bound of this label, null if none (results.json reads it so). */
    @com.fasterxml.jackson.annotation.JsonCreator
    public static Bound of(String label) {
        for (Bound b : values()) {
            if (b.label.equals(label)) {
                return b;
            }
        }
        return null;
    }
}
