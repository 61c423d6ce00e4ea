package dev.netplay.client.profile;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Where one sample of a server's CPU went, judged from its stack: the leaf-most frame that names a kind decides, so
 * a write that ends up waking a thread counts to the scheduler, and a Java frame stops the search (what a handler
 * calls into a library is the library's). The same rules serve every profile, async-profiler's and perf's.
 */
public enum FrameKind {
    /** The kernel's scheduler: blocking, waking, switching threads (schedule, futex, context switch). */
    SCHEDULER("scheduler"),
    /** Network system calls and the TCP/IP stack under them (read, write, send, recv, epoll, poll, accept). */
    NETWORK("network"),
    /** The JVM's garbage collector. */
    GC("gc"),
    /** The JVM's JIT compilers. */
    JIT("jit"),
    /** netplay's own Java code, as the leaf-most Java frame. */
    NETPLAY("netplay"),
    /** Everything else: libraries, the JVM's runtime, the interpreter, other system calls. */
    OTHER("other");

    public final String label;

    FrameKind(String label) {
        this.label = label;
    }

    private static final String KERNEL = "_[k]";
    private static final Pattern SCHEDULER_FRAME = Pattern.compile(
            "(__)?schedule(_hrtimeout.*|_timeout|_preempt.*)?|finish_task_switch.*|context_switch|__switch_to.*"
                    + "|pick_next_task.*|try_to_wake_up|ttwu_.*|wake_up_q|.*futex.*|.*sched_yield|enqueue_task.*"
                    + "|dequeue_task.*|psi_task_switch|update_curr.*|__wake_up_common.*|wake_up_process");
    private static final Pattern NETWORK_FRAME = Pattern.compile(
            "(__x64_|__ia32_)?(__)?sys_(read|write|readv|writev|recvfrom|sendto|recvmsg|sendmsg|recvmmsg|sendmmsg|epoll_wait"
                    + "|epoll_pwait2?|epoll_ctl|poll|ppoll|select|pselect6|accept4?|connect|shutdown)|ksys_(read|write)"
                    + "|do_epoll_.*|ep_.*|tcp_.*|sock_.*|inet_.*|ip_.*|skb_.*|__skb_.*|__tcp_.*|__inet_.*|net_rx_action"
                    + "|__napi_poll|__dev_queue_xmit|dev_hard_start_xmit|loopback_xmit|__netif_receive_skb.*");
    private static final Pattern GC_FRAME = Pattern.compile(
            "(G1|Z|Shenandoah|PS|Parallel|Serial|Epsilon|GenCollected|CollectedHeap|WorkerThread|ConcurrentGCThread"
                    + "|ConcurrentMark|GCTask|VM_G1|VM_GenCollect|VM_CollectForAllocation|MarkSweep|PSScavenge)[A-Za-z]*::.*");
    private static final Pattern JIT_FRAME = Pattern.compile(
            "(CompileBroker|C2Compiler|Compiler|Compile|PhaseIdealLoop|PhaseChaitin|PhaseCFG|PhaseOutput|PhaseIterGVN"
                    + "|Parse|GraphBuilder|LinearScan|ciEnv|ciMethod|ciObjectFactory|Matcher)::.*");

    /** The kind of one sample, from its frames (root first). */
    public static FrameKind of(List<String> frames) {
        for (int i = frames.size() - 1; i >= 0; i--) {
            String frame = frames.get(i);
            if (frame.endsWith(KERNEL)) {
                String name = frame.substring(0, frame.length() - KERNEL.length());
                if (SCHEDULER_FRAME.matcher(name).matches()) {
                    return SCHEDULER;
                }
                if (NETWORK_FRAME.matcher(name).matches()) {
                    return NETWORK;
                }
            } else if (isJava(frame)) {
                return frame.startsWith("dev/netplay/") || frame.startsWith("dev.netplay.") ? NETPLAY : OTHER;
            } else if (GC_FRAME.matcher(frame).matches()) {
                return GC;
            } else if (JIT_FRAME.matcher(frame).matches()) {
                return JIT;
            }
        }
        return OTHER;
    }

    /** A Java method's frame, as async-profiler marks it (compiled, inlined, interpreted, C1). */
    static boolean isJava(String frame) {
        return frame.endsWith("_[j]") || frame.endsWith("_[i]") || frame.endsWith("_[0]") || frame.endsWith("_[1]");
    }
}
