package dev.netplay.server.nio;

import dev.netplay.server.backend.BackendErrors;
import dev.netplay.server.backend.ReplyLine;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** One backend connection, registered with the loop's selector; carries one call at a time. */
final class BackendChannel {
    private final SelectorBackend backend;
    private final SocketChannel socket;
    private final ReplyLine line = new ReplyLine();
    SelectionKey key;
    SelectorBackend.Call call;
    private ByteBuffer out;
    private boolean closed;

    BackendChannel(SelectorBackend backend, SocketChannel socket) {
        this.backend = backend;
        this.socket = socket;
    }

    void send(SelectorBackend.Call next) {
        call = next;
        next.channel = this;
        write();
    }

    void write() {
        line.reset();
        out = ByteBuffer.wrap(call.request);
        flush();
    }

    private void flush() {
        try {
            socket.write(out);
        } catch (IOException e) {
            close(BackendErrors.unavailable(e, backend.settings()));
            return;
        }
        key.interestOps(SelectionKey.OP_READ | (out.hasRemaining() ? SelectionKey.OP_WRITE : 0));
    }

    /** The selector says this channel can connect, read or write. */
    void ready(SelectionKey ready) {
        if (ready.isConnectable()) {
            try {
                socket.finishConnect();
            } catch (IOException e) {
                close(BackendErrors.unavailable(e, backend.settings()));
                return;
            }
            key.interestOps(SelectionKey.OP_READ);
            write();
            return;
        }
        if (ready.isReadable()) {
            read();
        }
        if (!closed && key.isValid() && ready.isWritable() && out != null && out.hasRemaining()) {
            flush();
        }
    }

    private void read() {
        ByteBuffer readBuffer = backend.readBuffer();
        readBuffer.clear();
        int n;
        try {
            n = socket.read(readBuffer);
        } catch (IOException e) {
            close(BackendErrors.unavailable(e, backend.settings()));
            return;
        }
        if (n < 0) {
            close(BackendErrors.unavailable(BackendErrors.LOST, backend.settings()));
            return;
        }
        readBuffer.flip();
        if (call == null) {
            close(); // bytes no call asked for: this channel cannot be trusted with the next one
            return;
        }
        while (readBuffer.hasRemaining() && line.state() == ReplyLine.State.PARTIAL) {
            line.offer(readBuffer.get());
        }
        if (line.state() == ReplyLine.State.PARTIAL) {
            return;
        }
        byte[] error = line.error(backend.settings());
        boolean reusable = error == null && !readBuffer.hasRemaining();
        SelectorBackend.Call done = call;
        call = null;
        out = null;
        if (!reusable) {
            close();
        }
        done.end(error);
        if (reusable) {
            backend.freed(this, true);
        }
    }

    /** Closes the channel; a call on it ends with {@code error}. */
    void close(byte[] error) {
        SelectorBackend.Call pending = call;
        call = null;
        close();
        if (pending != null) {
            pending.end(error);
        }
    }

    /** Closes with a reset: a graceful close reads as a half-close, and the backend would keep the call's work. */
    void reset() {
        try {
            socket.setOption(StandardSocketOptions.SO_LINGER, 0);
        } catch (IOException ignored) {
            // closed already: nothing more to do
        }
        close();
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (key != null) {
            key.cancel();
        }
        SelectorBackend.closeQuietly(socket);
        backend.closed(this);
        SelectorBackend.Call pending = call;
        call = null;
        if (pending != null) {
            pending.end(BackendErrors.unavailable(BackendErrors.LOST, backend.settings()));
        }
        backend.freed(this, false);
    }
}
