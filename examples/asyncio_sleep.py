#!/usr/bin/env python3
"""The notebook's asyncio example, with a netplay server doing the sleeping.

The notebook awaits asyncio.sleep(2) in tasks gathered on one event loop. Here every task awaits a SLEEP request
to a netplay server through redis.asyncio (pip install redis), so the same gather runs against each server model:
2,000 tasks of one second each finish in about one second on an event-loop server (netty) or on virtual threads,
and while they run the platform-thread server shows 2,000 threads in INFO, one per connection.

    scripts/server threads --port 7002 &
    python3 examples/asyncio_sleep.py --port 7002            # 2000 x SLEEP 1000
"""
import argparse
import asyncio
import sys
import time

try:
    import redis.asyncio as aioredis
except ImportError:
    sys.exit("error: redis-py is not installed (pip install redis)")


def positive(text):
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} is out of range (expected: >= 1)")
    return value


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7001)
    p.add_argument("--tasks", type=positive, default=2000, help="concurrent SLEEP requests (default: 2000)")
    p.add_argument("--ms", type=positive, default=1000, help="each SLEEP, in ms (default: 1000, at most 60000)")
    p.add_argument("--protocol", type=int, choices=(2, 3), default=None,
                   help="RESP version redis-py asks for with HELLO (default: redis-py's own, 3 in redis-py 8)")
    return p.parse_args(argv)


async def sleep_on_server(client, ms):
    """One task: the notebook's fetch_data, but the wait happens in the server."""
    return await client.execute_command("SLEEP", ms)


async def server_while_busy(control, delay_s):
    """What the server says halfway through the sleeps: its threads and its connections."""
    await asyncio.sleep(delay_s)
    info = await control.info()
    return info


async def main(args):
    options = {} if args.protocol is None else {"protocol": args.protocol}
    # Each concurrent command takes its own connection from the pool, as each notebook task awaits on its own.
    client = aioredis.Redis(host=args.host, port=args.port, max_connections=args.tasks + 1, **options)
    control = aioredis.Redis(host=args.host, port=args.port, **options)
    try:
        before = await control.info()
        print(f"{before.get('server_model')} on {args.host}:{args.port}: {args.tasks} tasks, each awaits SLEEP {args.ms}")
        # Connections first (each is a TCP connect and a HELLO): the timing below is the sleeps, not Python connecting.
        pool = client.connection_pool
        connections = await asyncio.gather(*(pool.get_connection() for _ in range(args.tasks)))
        for connection in connections:
            await pool.release(connection)
        start = time.perf_counter()
        busy = asyncio.create_task(server_while_busy(control, args.ms / 2000))
        replies = await asyncio.gather(*(sleep_on_server(client, args.ms) for _ in range(args.tasks)),
                                       return_exceptions=True)
        elapsed = time.perf_counter() - start
        during = await busy
    finally:
        await client.aclose()
        await control.aclose()
    failed = [r for r in replies if r is not True and r != b"OK" and r != "OK"]
    print(f"all {args.tasks} done in {elapsed:.2f} s (one after another: {args.tasks * args.ms / 1000:.0f} s); "
          f"failed: {len(failed)}")
    print(f"halfway through, the server had {during.get('connected_clients')} connections "
          f"and {during.get('threads_live')} threads (idle: {before.get('threads_live')})")
    if failed:
        print(f"first failure: {failed[0]!r}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(parse_args(sys.argv[1:]))))
