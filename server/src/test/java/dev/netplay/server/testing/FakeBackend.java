package dev.netplay.server.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that misbehaves on purpose, on 127.0.0.1 and a free port: it reads each request whole (a multibulk) and
 * then answers as its {@link Behaviour} says. Counts the connections it accepted and has open, and the requests it read.
 */
public final class FakeBackend implements AutoCloseable {
    public enum Behaviour {
        /** Reads the request and never answers. */
        SILENT,
        /** Answers {@code +NOPE}. */
        WRONG_REPLY,
        /** Reads the request, then closes the connection: a backend dying with the call in flight. */
        CLOSE
    }

    private final ServerSocket server;
    private final Behaviour behaviour;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final Thread acceptor;

    public FakeBackend(Behaviour behaviour) throws IOException {
        this.behaviour = behaviour;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress("127.0.0.1", 0), 1024);
        acceptor = new Thread(this::accept, "fake-backend-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    public int accepted() {
        return accepted.get();
    }

    public int open() {
        return open.size();
    }

    public int requests() {
        return requests.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                accepted.incrementAndGet();
                open.add(socket);
                Thread t = new Thread(() -> serve(socket), "fake-backend-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            while (readRequest(in)) {
                requests.incrementAndGet();
                switch (behaviour) {
                    case SILENT -> { }
                    case WRONG_REPLY -> out.write("+NOPE\r\n".getBytes(StandardCharsets.US_ASCII));
                    case CLOSE -> {
                        return;
                    }
                }
            }
        } catch (IOException e) {
            // the front closed it
        } finally {
            open.remove(socket);
        }
    }

    /** Reads one multibulk request; false at the end of the input. */
    private static boolean readRequest(InputStream in) throws IOException {
        String header = line(in);
        if (header == null) {
            return false;
        }
        int n = Integer.parseInt(header.substring(1));
        for (int i = 0; i < n; i++) {
            String length = line(in);
            if (length == null) {
                return false;
            }
            in.readNBytes(Integer.parseInt(length.substring(1)) + 2);
        }
        return true;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                return b.toString().trim();
            }
            b.append((char) c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
    }
}
