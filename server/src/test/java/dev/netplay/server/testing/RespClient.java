package dev.netplay.server.testing;

import dev.netplay.common.protocol.InfoText;

import dev.netplay.server.core.InfoReport;
import dev.netplay.common.resp.ReplyReader;
import dev.netplay.common.resp.Resp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** A blocking test client that sends raw bytes and reads whole replies. */
public final class RespClient implements AutoCloseable {
    /** No test reply takes longer; a hang fails the test instead of blocking it. */
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ReplyReader reader;

    public RespClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        reader = new ReplyReader(in);
    }

    public RespClient send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RespClient send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** Sends one multibulk request and returns its reply as text. */
    public String call(String... args) throws IOException {
        send(multibulk(args));
        return readReply();
    }

    public String readReply() throws IOException {
        return reader.readText();
    }

    /** True if reply bytes have arrived that were not read yet (on loopback, a reply is here once the server wrote it). */
    public boolean hasBytesWaiting() throws IOException {
        return in.available() > 0;
    }

    /** Half-closes, then reads every byte until the server closes. */
    public byte[] finishAndReadAll() throws IOException {
        socket.shutdownOutput();
        return readAll();
    }

    /** Reads every byte until the server closes. */
    public byte[] readAll() throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            all.write(buf, 0, n);
        }
        return all.toByteArray();
    }

    /** True if the server closed the connection (the next read sees end of stream). */
    public boolean isClosedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true; // reset
        }
    }

    public Map<String, String> info() throws IOException {
        String reply = call("INFO");
        return InfoText.parse(reply.substring(reply.indexOf("\r\n") + 2));
    }

    /** A multibulk request of the arguments, each character one byte (ISO-8859-1), so any byte can be sent. */
    public static String multibulk(String... args) {
        byte[][] bytes = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            bytes[i] = args[i].getBytes(StandardCharsets.ISO_8859_1);
        }
        return new String(Resp.command(bytes), StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
