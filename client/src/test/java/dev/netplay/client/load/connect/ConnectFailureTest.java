package dev.netplay.client.load.connect;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;

import static org.assertj.core.api.Assertions.assertThat;

/** Connect failures are told apart by type, whatever their message says. */
class ConnectFailureTest {
    @Test
    void eachKindByItsType() {
        assertThat(ConnectFailure.of(new ConnectTimeoutException("refused, the message says"))).isEqualTo(ConnectFailure.TIMED_OUT);
        assertThat(ConnectFailure.of(new ConnectException("timed out, the message says"))).isEqualTo(ConnectFailure.REFUSED);
        assertThat(ConnectFailure.of(new Errors.NativeIoException("connect", Errors.ERRNO_ECONNRESET_NEGATIVE))).isEqualTo(ConnectFailure.RESET);
        assertThat(ConnectFailure.of(new Errors.NativeIoException("connect", Errors.ERRNO_EPIPE_NEGATIVE))).isEqualTo(ConnectFailure.OTHER);
        assertThat(ConnectFailure.of(new SocketException("anything"))).isEqualTo(ConnectFailure.RESET);
        assertThat(ConnectFailure.of(new IOException("reset"))).isEqualTo(ConnectFailure.OTHER);
    }
}
