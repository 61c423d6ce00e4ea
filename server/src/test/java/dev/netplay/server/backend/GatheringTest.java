package dev.netplay.server.backend;

import dev.netplay.common.resp.Resp;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GatheringTest {
    @Test
    void theReplyIsOkOnceEveryCallIsBackAndIsGivenOnce() {
        List<byte[]> replies = new ArrayList<>();
        Gathering g = new Gathering(3, replies::add);
        assertThat(g.answered(2, null)).isFalse();
        assertThat(g.answered(0, null)).isFalse();
        assertThat(replies).isEmpty();
        assertThat(g.answered(1, null)).isTrue();
        assertThat(replies).containsExactly(Resp.OK);
    }

    @Test
    void aFailureIsTheFirstFailedCallInCallOrderWhateverArrivedFirst() {
        byte[] late = Resp.error("second");
        byte[] early = Resp.error("first");
        Gathering g = new Gathering(3);
        g.answered(2, late);
        g.answered(0, null);
        g.answered(1, early);
        assertThat(g.reply()).isEqualTo(early);
    }

    @Test
    void aCancelledGatheringAnswersNobody() {
        List<byte[]> replies = new ArrayList<>();
        Gathering g = new Gathering(2, replies::add);
        g.answered(0, null);
        g.cancel();
        assertThat(g.answered(1, null)).isTrue();
        assertThat(replies).isEmpty();
    }

    @Test
    void aReplyLineIsJudgedHoweverItsBytesAreSplit() {
        BackendSettings backend = BackendSettings.NONE.withAddress(new java.net.InetSocketAddress("127.0.0.1", 1));
        ReplyLine line = new ReplyLine();
        for (byte b : "+O".getBytes()) {
            assertThat(line.offer(b)).isEqualTo(ReplyLine.State.PARTIAL);
        }
        line.offer((byte) 'K');
        line.offer((byte) '\r');
        assertThat(line.offer((byte) '\n')).isEqualTo(ReplyLine.State.COMPLETE);
        assertThat(line.error(backend)).isNull();
        line.reset();
        for (byte b : "+NOPE\r\n".getBytes()) {
            line.offer(b);
        }
        assertThat(new String(line.error(backend))).isEqualTo("-ERR backend replied '+NOPE', expected '+OK' (127.0.0.1:1)\r\n");
        line.reset();
        ReplyLine.State state = ReplyLine.State.PARTIAL;
        for (int i = 0; i < BackendSettings.MAX_REPLY_LINE_BYTES + 3; i++) {
            state = line.offer((byte) 'x');
        }
        assertThat(state).isEqualTo(ReplyLine.State.TOO_LONG);
    }

    @Test
    void theCommandTemplateTakesTheWaitInMillisecondsOrSeconds() {
        BackendSettings blpop = BackendSettings.NONE.withCall("BLPOP netplay:none {s}", "*-1");
        assertThat(new String(blpop.request(1500))).isEqualTo(new String(Resp.command("BLPOP", "netplay:none", "1.500")));
        assertThat(new String(BackendSettings.NONE.request(20))).isEqualTo(new String(Resp.command("SLEEP", "20")));
    }
}
