package dev.netplay.server.threads;

import java.io.IOException;
import java.io.OutputStream;

/** The socket's output, with the start of each blocking write recorded for the write timeout. */
final class WatchedOutput extends OutputStream {
    private final OutputStream socketOut;
    /** When the write under way began (System.nanoTime()); 0 while none is. */
    private volatile long writingSince;

    WatchedOutput(OutputStream socketOut) {
        this.socketOut = socketOut;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        writingSince = System.nanoTime() | 1; // never 0 while writing
        try {
            socketOut.write(b, off, len);
        } finally {
            writingSince = 0;
        }
    }

    @Override
    public void flush() throws IOException {
        socketOut.flush();
    }

    /** When the write the connection's thread is blocked in began; 0 while it is not writing. From any thread. */
    long writingSince() {
        return writingSince;
    }

    /** The watchdog closed the socket: the write it saw is over. */
    void clear() {
        writingSince = 0;
    }
}
