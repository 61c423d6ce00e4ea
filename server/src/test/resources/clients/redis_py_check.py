"""redis-py against a netplay server, sync and asyncio, as a user connects: prints one line per check, exits 1 on
the first failure. Usage: redis_py_check.py PORT [PROTOCOL], PROTOCOL 2 or 3 (default: redis-py's own)."""
import asyncio
import sys

import redis
import redis.asyncio as aioredis

DATA_BYTES = 100_000


def pattern(n):
    return bytes(ord("a") + i % 26 for i in range(n))


def ok(reply):
    """A +OK: redis-py gives True where it knows the command, the bytes where it does not (SLEEP)."""
    return reply in (True, b"OK", "OK")


def check(what, got, expected):
    if got != expected:
        sys.exit(f"FAILED {what}: got {got!r}, expected {expected!r}")
    print(f"ok {what}")


def sync_checks(port, options):
    r = redis.Redis(host="127.0.0.1", port=port, **options)
    check("sync PING", r.ping(), True)
    check("sync ECHO", r.echo("hi"), b"hi")
    check("sync SLEEP", ok(r.execute_command("SLEEP", 20)), True)
    check("sync DATA", r.execute_command("DATA", DATA_BYTES), pattern(DATA_BYTES))
    check("sync INFO has server_model", "server_model" in r.info(), True)
    check("sync CLIENT SETNAME", r.client_setname("py"), True)
    check("sync CLIENT GETNAME", r.client_getname() in ("py", b"py"), True)
    check("sync CLIENT ID positive", r.client_id() > 0, True)
    pipe = r.pipeline(transaction=False)
    pipe.ping().echo("a").execute_command("SLEEP", 10).execute_command("DATA", 5).echo("b")
    replies = pipe.execute()
    check("sync pipeline", [replies[0], replies[1], ok(replies[2]), replies[3], replies[4]], [True, b"a", True, b"abcde", b"b"])
    r.close()


async def async_checks(port, options):
    r = aioredis.Redis(host="127.0.0.1", port=port, **options)
    check("asyncio PING", await r.ping(), True)
    check("asyncio ECHO", await r.echo("hi"), b"hi")
    replies = await asyncio.gather(*(r.execute_command("SLEEP", 200) for _ in range(50)))
    check("asyncio 50 SLEEPs at once", [ok(reply) for reply in replies], [True] * 50)
    check("asyncio DATA", await r.execute_command("DATA", DATA_BYTES), pattern(DATA_BYTES))
    await r.aclose()


def main():
    port = int(sys.argv[1])
    options = {} if len(sys.argv) < 3 else {"protocol": int(sys.argv[2])}
    print(f"redis-py {redis.__version__}, protocol {options.get('protocol', 'default')}")
    sync_checks(port, options)
    asyncio.run(async_checks(port, options))


if __name__ == "__main__":
    main()
