"""The notebook's first program as a server: one thread, asyncio's event loop; SLEEP is ``await asyncio.sleep``.

    python3 -m netplay_py.asyncio_server --port 6379 [--loop uvloop]
"""

import asyncio
import hashlib
import signal
import sys

from . import cli
from .commands import Data, Quit, Reply, Session, Sleep, Stats, Work, data_bytes, dispatch
from .resp import OK, ProtocolError, RequestParser, bulk

READ_BYTES = 64 * 1024
# Rounds of WORK done before the loop lets other connections run: as netplay's Java event loops slice it (Work.SLICE_ROUNDS).
SLICE_ROUNDS = 16_384


async def _work(rounds):
    value = bytes(32)
    sha256 = hashlib.sha256
    while rounds > 0:
        n = min(rounds, SLICE_ROUNDS)
        for _ in range(n):
            value = sha256(value).digest()
        rounds -= n
        if rounds:
            await asyncio.sleep(0)  # let the other connections run between slices
    return value


class Connection:
    def __init__(self, stats, reader, writer):
        self.stats = stats
        self.reader = reader
        self.writer = writer
        self.parser = RequestParser()
        self.session = Session(stats.connection_opened())

    async def serve(self):
        try:
            while True:
                try:
                    request = self.parser.next()
                except ProtocolError as e:
                    self.writer.write(e.reply())
                    break
                if request is None:
                    await self.writer.drain()
                    data = await self.reader.read(READ_BYTES)
                    if not data:
                        break  # the client closed: every complete request was answered
                    self.parser.feed(data)
                    continue
                if not await self.answer(dispatch(self.stats, self.session, request)):
                    break
            await self.writer.drain()
        except (ConnectionError, OSError):
            pass  # the client went away: nothing left to tell it
        finally:
            self.stats.connection_closed()
            self.writer.close()

    async def answer(self, action):
        """Writes the reply; False when the connection is to close."""
        if isinstance(action, Reply):
            self.writer.write(action.data)
        elif isinstance(action, Sleep):
            await self.writer.drain()
            await asyncio.sleep(action.millis / 1000)
            self.writer.write(OK)
        elif isinstance(action, Work):
            digest = await _work(action.rounds)
            self.writer.write(bulk(digest.hex()))
        elif isinstance(action, Data):
            self.writer.write(b"$%d\r\n" % action.length)
            self.writer.write(data_bytes(action.length))
            self.writer.write(b"\r\n")
            await self.writer.drain()
        elif isinstance(action, Quit):
            self.writer.write(OK)
            return False
        return True


async def main(args):
    model = "py-uvloop" if args.loop == "uvloop" else "py-asyncio"
    stats = Stats(model)
    server = await asyncio.start_server(lambda r, w: Connection(stats, r, w).serve(), args.host, args.port,
                                        backlog=4096, reuse_address=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    bound = server.sockets[0].getsockname()[1]
    cli.listening(model, args.host, bound, "asyncio event loop: %s" % args.loop)
    async with server:
        await stop.wait()


def run(argv=None):
    p = cli.parser("asyncio_server", "netplay's protocol on asyncio's event loop, one thread.")
    p.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio",
                   help="the event loop: asyncio's own, or uvloop (pip install uvloop)")
    args = p.parse_args(argv)
    if args.loop == "uvloop":
        try:
            import uvloop
        except ImportError:
            cli.fail("--loop uvloop needs uvloop: python3 -m pip install uvloop")
        runner = uvloop.run
    else:
        runner = asyncio.run
    try:
        runner(main(args))
    except OSError as e:
        cli.fail("cannot listen on %s:%d: %s" % (args.host, args.port, e.strerror or e))


if __name__ == "__main__":
    sys.exit(run())
