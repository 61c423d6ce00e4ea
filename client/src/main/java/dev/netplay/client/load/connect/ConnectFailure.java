package dev.netplay.client.load.connect;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;

import java.net.ConnectException;
import java.net.SocketException;

/** Why a connect failed, told by the exception's type (and a native error's errno), never by its message. */
enum ConnectFailure {
    REFUSED, TIMED_OUT, RESET, OTHER;

    static ConnectFailure of(Throwable cause) {
        // ConnectTimeoutException is a ConnectException, and ConnectException a SocketException: most specific first.
        if (cause instanceof ConnectTimeoutException) {
            return TIMED_OUT;
        }
        if (cause instanceof ConnectException) {
            return REFUSED; // Java's type for "the connection was refused remotely"
        }
        if (cause instanceof Errors.NativeIoException nativeError) {
            return nativeError.expectedErr() == Errors.ERRNO_ECONNRESET_NEGATIVE ? RESET : OTHER;
        }
        if (cause instanceof SocketException) {
            return RESET; // NIO reports a reset during the handshake as a plain SocketException
        }
        return OTHER;
    }
}
