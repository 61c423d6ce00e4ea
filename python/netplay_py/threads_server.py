"""The notebook's second program as a server: one ``threading.Thread`` per connection; SLEEP is ``time.sleep``.

    python3 -m netplay_py.threads_server --port 6379

WORK runs the same SHA-256 loop in the connection's thread; CPython runs Python code one thread at a time (the GIL),
so two threads hashing take turns on two cores.
"""

import signal
import socket
import sys
import threading
import time

from . import cli
from .commands import Data, Quit, Reply, Session, Sleep, Stats, Work, data_bytes, dispatch, sha256_rounds
from .resp import OK, ProtocolError, RequestParser, bulk

READ_BYTES = 64 * 1024
BACKLOG = 4096
THREAD_STACK_BYTES = 256 * 1024  # Python's threads need little stack here; the default (8 MiB) is only reserved


def serve(stats, conn):
    parser = RequestParser()
    session = Session(stats.connection_opened())
    try:
        while True:
            try:
                request = parser.next()
            except ProtocolError as e:
                conn.sendall(e.reply())
                break
            if request is None:
                data = conn.recv(READ_BYTES)
                if not data:
                    break  # the client closed: every complete request was answered
                parser.feed(data)
                continue
            action = dispatch(stats, session, request)
            if isinstance(action, Reply):
                conn.sendall(action.data)
            elif isinstance(action, Sleep):
                time.sleep(action.millis / 1000)
                conn.sendall(OK)
            elif isinstance(action, Work):
                conn.sendall(bulk(sha256_rounds(action.rounds).hex()))
            elif isinstance(action, Data):
                conn.sendall(b"$%d\r\n" % action.length + data_bytes(action.length) + b"\r\n")
            elif isinstance(action, Quit):
                conn.sendall(OK)
                break
    except OSError:
        pass  # the client went away
    finally:
        stats.connection_closed()
        conn.close()


def run(argv=None):
    args = cli.parser("threads_server", "netplay's protocol with one Python thread per connection.").parse_args(argv)
    stats = Stats("py-threads")
    threading.stack_size(THREAD_STACK_BYTES)
    try:
        listener = socket.create_server((args.host, args.port), backlog=BACKLOG, reuse_port=False)
    except OSError as e:
        cli.fail("cannot listen on %s:%d: %s" % (args.host, args.port, e.strerror or e))
    stopping = threading.Event()

    def stop(signum, frame):
        stopping.set()
        listener.close()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    cli.listening("py-threads", args.host, listener.getsockname()[1], "one thread per connection")
    while not stopping.is_set():
        try:
            conn, _ = listener.accept()
        except OSError:
            if stopping.is_set():
                break
            time.sleep(0.01)  # out of files: the kernel keeps the connection queued; try again shortly
            continue
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            threading.Thread(target=serve, args=(stats, conn), daemon=True).start()
        except RuntimeError:
            conn.close()  # no thread to be had: refuse this one, keep serving the others
    return 0


if __name__ == "__main__":
    sys.exit(run())
