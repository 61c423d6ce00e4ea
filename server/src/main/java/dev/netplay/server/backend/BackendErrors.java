package dev.netplay.server.backend;

import dev.netplay.common.resp.Resp;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The error replies of a backend call, one text per failure whatever the model, so every model answers alike. */
public final class BackendErrors {
    private BackendErrors() {
    }

    public static byte[] notConfigured(String command) {
        return Resp.error(command + " needs a backend: start the server with --backend HOST:PORT");
    }

    /** No connection to the backend could be made, or it went away under a call. */
    public static byte[] unavailable(String why, BackendSettings backend) {
        return Resp.error("backend unavailable: " + why + " (" + backend.label() + ")");
    }

    public static byte[] unavailable(Throwable cause, BackendSettings backend) {
        return unavailable(why(cause), backend);
    }

    public static final String LOST = "connection lost with a call in flight";

    public static byte[] timedOut(BackendSettings backend) {
        return Resp.error("backend timed out after " + backend.timeout().toMillis() + " ms (" + backend.label() + ")");
    }

    /** The backend answered something else than {@link BackendSettings#reply()}. */
    public static byte[] unexpected(byte[] line, BackendSettings backend) {
        return Resp.error("backend replied '" + Resp.quote(line) + "', expected '" + backend.reply() + "' ("
                + backend.label() + ")");
    }

    public static byte[] lineTooLong(BackendSettings backend) {
        return Resp.error("backend replied a line longer than " + BackendSettings.MAX_REPLY_LINE_BYTES
                + " bytes, expected '" + backend.reply() + "' (" + backend.label() + ")");
    }

    /** A short reason for a failed connect or a broken connection, the same on every model's I/O. */
    public static String why(Throwable cause) {
        String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
        if (message.contains("refused")) {
            return "connection refused";
        }
        if (cause instanceof SocketTimeoutException || message.contains("timed out")) {
            return "connect timed out";
        }
        if (message.contains("reset") || cause instanceof EOFException || cause instanceof ClosedChannelException
                || message.contains("broken pipe") || message.contains("closed")) {
            return LOST;
        }
        if (cause instanceof ConnectException) {
            return message.isEmpty() ? "cannot connect" : message;
        }
        return cause.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    /** Whether {@code reply} is an error reply. */
    public static boolean isError(byte[] reply) {
        return reply.length > 0 && reply[0] == '-';
    }

    public static String text(byte[] reply) {
        return new String(reply, StandardCharsets.UTF_8).trim();
    }
}
