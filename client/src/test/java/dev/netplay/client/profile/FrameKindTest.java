package dev.netplay.client.profile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Where a sample's CPU went, read from its stack; on stacks captured from real servers under load. */
class FrameKindTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a thread blocking in futex is the scheduler's|java/lang/Thread.run_[0];Unsafe.park_[j];__x64_sys_futex_[k];futex_wait_[k];schedule_[k];__schedule_[k];finish_task_switch.isra.0_[k];pvm_irq_enable_[k]|SCHEDULER",
            "a write that wakes the reader is the scheduler's|dev/netplay/server/X.reply_[j];__GI___send;__x64_sys_sendto_[k];tcp_sendmsg_[k];sock_def_readable_[k];try_to_wake_up_[k];_raw_spin_unlock_irqrestore_[k]|SCHEDULER",
            "TCP under sendto is the network's|io/netty/channel/unix/Socket.send_[j];__GI___send;__x64_sys_sendto_[k];tcp_sendmsg_locked_[k];_copy_from_iter_[k]|NETWORK",
            "epoll_wait is the network's|io/netty/channel/epoll/Native.epollWait0_[j];epoll_pwait2;__x64_sys_epoll_pwait2_[k];do_epoll_wait_[k];ep_poll_[k]|NETWORK",
            "a G1 worker is the collector's|clone3;start_thread;Thread::call_run;WorkerThread::run;G1EvacuateRegionsBaseTask::work;G1ParScanThreadState::trim_queue|GC",
            "C2 is the JIT's|clone3;start_thread;JavaThread::thread_main_inner;CompileBroker::compiler_thread_loop;C2Compiler::compile_method;PhaseIdealLoop::build_loop_tree|JIT",
            "a netplay method as the leaf-most Java frame is netplay's|io/netty/channel/AbstractChannelHandlerContext.fireChannelRead_[j];dev/netplay/common/resp/RequestParser.feed_[j]|NETPLAY",
            "a library called from netplay code is the library's|dev/netplay/server/netty/RespServerHandler.channelRead_[j];io/netty/buffer/AbstractByteBuf.writeBytes_[i]|OTHER",
            "a kernel frame that names no kind defers to its callers|dev/netplay/server/X.run_[j];asm_exc_page_fault_[k];exc_page_fault_[k]|NETPLAY",
            "perf's native frames with no kind are other|redis-server;__memmove_avx512_unaligned_erms|OTHER",
    })
    void aSamplesKindIsItsLeafMostTellingFrame(String what, String stack, FrameKind expected) {
        assertThat(FrameKind.of(Collapsed.frames(stack))).as(what).isEqualTo(expected);
    }

    private static Collapsed captured(String name) throws IOException, URISyntaxException {
        return Collapsed.read(Path.of(FrameKindTest.class.getResource("/profiles/" + name).toURI()));
    }

    /**
     * Captured with compare --quick --profile (SLEEP 500, 2,000 connections, one server CPU): a thread per connection
     * pays the kernel's scheduler a larger share of its CPU than the event loop does.
     */
    @Test
    void onCapturedProfilesThreadsPayTheSchedulerMoreThanTheEventLoop() throws Exception {
        StackShares netty = StackShares.of(captured("netty-2000.cpu.collapsed"), true, true);
        StackShares threads = StackShares.of(captured("threads-platform-2000.cpu.collapsed"), true, true);
        assertThat(threads.schedulerPct()).isGreaterThan(netty.schedulerPct());
        assertThat(netty.networkPct()).as("the event loop's CPU goes to the network calls first").isGreaterThan(netty.schedulerPct());
        for (StackShares s : new StackShares[] {netty, threads}) {
            assertThat(s.schedulerPct() + s.networkPct() + s.gcPct() + s.jitPct() + s.netplayPct() + s.otherPct())
                    .as("every sample counted once").isCloseTo(100.0, within(0.001));
            assertThat(s.samples()).isPositive();
        }
    }

    @Test
    void aProfileBlindToTheKernelLeavesTheKernelsSharesUnknownNotZero() throws Exception {
        Collapsed stacks = captured("netty-2000.cpu.collapsed");
        assertThat(stacks.hasKernelFrames()).isTrue();
        StackShares blind = StackShares.of(stacks, false, true);
        assertThat(blind.schedulerPct()).isNull();
        assertThat(blind.networkPct()).isNull();
        assertThat(blind.netplayPct()).isNotNull();
        StackShares notJava = StackShares.of(stacks, true, false);
        assertThat(notJava.gcPct()).isNull();
        assertThat(notJava.netplayPct()).isNull();
    }

    @Test
    void perfScriptFoldsIntoStacksRootFirstWithKernelFramesMarked() throws Exception {
        String text = Files.readString(Path.of(FrameKindTest.class.getResource("/profiles/redis-server.perf-script.txt").toURI()));
        Collapsed folded = PerfScript.fold(new BufferedReader(new StringReader(text)));
        assertThat(folded.samples()).isEqualTo(text.lines().filter(l -> l.startsWith("redis-server")).count());
        assertThat(folded.stacks().keySet()).contains("redis-server;[unknown];__GI___libc_write;entry_SYSCALL_64_after_hwframe_[k];"
                + "do_syscall_64_[k];ksys_write_[k];vfs_write_[k];sock_write_iter_[k];tcp_sendmsg_[k];tcp_sendmsg_locked_[k];"
                + "_copy_from_iter_[k]");
        assertThat(folded.stacks().keySet()).allSatisfy(s -> assertThat(s).startsWith("redis-server;"));
        assertThat(FrameKind.of(Collapsed.frames(folded.stacks().keySet().stream().filter(s -> s.contains("tcp_sendmsg"))
                .findFirst().orElseThrow()))).isEqualTo(FrameKind.NETWORK);
    }

    @Test
    void aCollapsedLineThatIsNotAStackIsSkipped(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.collapsed");
        Files.writeString(file, "# a comment\na;b 3\nnot a count x\na;b 2\nc 1\n");
        Collapsed c = Collapsed.read(file);
        assertThat(c.stacks()).containsExactly(java.util.Map.entry("a;b", 5L), java.util.Map.entry("c", 1L));
        assertThat(c.samples()).isEqualTo(6);
    }
}
