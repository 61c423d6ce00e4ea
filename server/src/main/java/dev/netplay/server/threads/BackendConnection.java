package dev.netplay.server.threads;

import dev.netplay.server.backend.BackendSettings;
import dev.netplay.server.backend.BackendStats;
import dev.netplay.server.backend.ReplyLine;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** One backend connection of {@link BlockingBackend}'s pool, used by one call at a time. */
/** One backend connection, used by one call at a time. */
final class BackendConnection {
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final ReplyLine line = new ReplyLine();
    int uses;
    /** It failed, timed out or answered other than asked: never to be lent again. */
    boolean broken;

    BackendConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), BackendSettings.MAX_REPLY_LINE_BYTES);
        this.out = socket.getOutputStream();
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing: nothing more to do
        }
    }

    /** A bounded pool of connections to {@code settings}' backend, the newest lent first; a broken one is closed on return. */
    static GenericObjectPool<BackendConnection> pool(BackendSettings settings, BackendStats stats) {
        GenericObjectPoolConfig<BackendConnection> config = new GenericObjectPoolConfig<>();
        config.setMaxTotal(settings.connections());
        config.setMaxIdle(settings.connections());
        config.setBlockWhenExhausted(true);
        config.setJmxEnabled(false);
        config.setLifo(true);
        config.setTestOnReturn(true); // destroys the broken ones (validateObject)
        return new GenericObjectPool<>(new Factory(settings, stats), config);
    }

    /** Opens, counts and closes a pool's connections to {@code settings}' backend. */
    static final class Factory extends BasePooledObjectFactory<BackendConnection> {
        private final BackendSettings settings;
        private final BackendStats stats;

        Factory(BackendSettings settings, BackendStats stats) {
            this.settings = settings;
            this.stats = stats;
        }

        @Override
        public BackendConnection create() throws IOException {
            Socket socket = new Socket();
            try {
                socket.setTcpNoDelay(true);
                socket.connect(settings.address(), (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis()));
                BackendConnection c = new BackendConnection(socket);
                stats.connectionOpened();
                return c;
            } catch (IOException e) {
                closeQuietly(socket);
                throw e;
            }
        }

        @Override
        public PooledObject<BackendConnection> wrap(BackendConnection c) {
            return new DefaultPooledObject<>(c);
        }

        @Override
        public boolean validateObject(PooledObject<BackendConnection> p) {
            return !p.getObject().broken;
        }

        @Override
        public void destroyObject(PooledObject<BackendConnection> p) {
            closeQuietly(p.getObject().socket);
            stats.connectionClosed();
        }
    }
}
