package dev.netplay.common.protocol;

/**
 * What a server must do for one request. Replies that need no waiting are computed by the dispatcher; the rest
 * say what to wait for or stream, and each server model does that in its own way (a timer or a blocked thread).
 *
 * <p>A server handles every kind through a {@link Visitor}: a new kind of action adds a method there, so every
 * server that does not handle it fails to compile rather than ignoring it.
 */
public sealed interface Action {
    <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X;

    /** One method per kind of action; {@code X} is what a server's handling may throw (an IOException, on threads). */
    interface Visitor<R, X extends Exception> {
        R reply(Reply reply) throws X;

        R sleep(Sleep sleep) throws X;

        R data(Data data) throws X;

        R work(Work work) throws X;

        R fetch(Fetch fetch) throws X;

        R quit(Quit quit) throws X;
    }

    /** Send these bytes. */
    record Reply(byte[] bytes) implements Action {
        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.reply(this);
        }
    }

    /** Wait this long, then reply {@code +OK}. */
    record Sleep(long millis) implements Action {
        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.sleep(this);
        }
    }

    /** Reply with a bulk string of this many bytes of {@link DataPattern}. */
    record Data(long length) implements Action {
        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.data(this);
        }
    }

    /**
     * CPU-bound work: {@code rounds} of SHA-256 ({@link dev.netplay.common.protocol.Work}), then its result as a
     * bulk string. The connection's own thread does it, or, on an event loop, the loop or an offload executor.
     */
    record Work(long rounds) implements Action {
        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.work(this);
        }

        /** The reply, computed on the calling thread in one go. */
        public byte[] reply() {
            return dev.netplay.common.resp.Resp.bulk(dev.netplay.common.protocol.Work.sha256Rounds(rounds));
        }

        /** The work, to be done in slices ({@link dev.netplay.common.protocol.Work#SLICE_ROUNDS}) by {@link #reply(dev.netplay.common.protocol.Work.Progress)}'s caller. */
        public dev.netplay.common.protocol.Work.Progress start() {
            return new dev.netplay.common.protocol.Work.Progress(rounds);
        }

        /** The reply of work done in slices. */
        public static byte[] reply(dev.netplay.common.protocol.Work.Progress done) {
            return dev.netplay.common.resp.Resp.bulk(done.result());
        }
    }

    /**
     * {@code calls} calls to the server's backend, each asking it
     * to wait {@code millis}: FETCH is one, GATHER n of them at once. Answered {@code +OK} once the last is back
     * (the server's gathering of them). How the calls overlap is the model's: an event loop writes them
     * all at once; blocking code makes them one after another, or on threads of their own.
     */
    record Fetch(int calls, long millis) implements Action {
        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.fetch(this);
        }
    }

    /** Reply {@code +OK}, then close the connection. */
    record Quit() implements Action {
        @Override
        public <R, X extends Exception> R accept(Visitor<R, X> visitor) throws X {
            return visitor.quit(this);
        }
    }
}
