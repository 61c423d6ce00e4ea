"""The commands, answered as netplay's Java dispatcher answers them (common/.../protocol/Requests, server/.../core/
CommandDispatcher): the same replies and error texts. A server model supplies only how it waits (SLEEP) and how it runs
the CPU loop (WORK); the answer to everything else is here, written once for both Python models."""

import hashlib
import os
import resource
import sys
import threading
import time

from . import limits
from .resp import (EMPTY_ARRAY, OK, PONG, bulk, decimal, error, integer, is_number, map_header, nil, quote, TOO_LONG,
                   NOT_A_NUMBER, verbatim)

SERVER_NAME = "netplay"
VERSION = "0.1.0"  # what HELLO reports, as the Java servers do

# name: (fewest, most arguments); None: no upper bound. The commands a Python server knows.
ARITY = {
    "PING": (0, 1), "ECHO": (1, 1), "SLEEP": (1, 1), "DATA": (1, 1), "WORK": (1, 1), "INFO": (0, 1), "QUIT": (0, 0),
    "CONFIG": (2, None), "COMMAND": (0, None), "HELLO": (0, None), "CLIENT": (1, None), "SELECT": (1, 1),
}


class Reply:
    def __init__(self, data):
        self.data = data


class Sleep:
    """Wait ``millis``, then reply +OK: the model's own way of waiting."""

    def __init__(self, millis):
        self.millis = millis


class Work:
    """SHA-256 applied ``rounds`` times to 32 zero bytes; the reply is the last digest in hex."""

    def __init__(self, rounds):
        self.rounds = rounds


class Data:
    """``length`` bytes of the pattern 'a' + (i % 26)."""

    def __init__(self, length):
        self.length = length


class Quit:
    """+OK, then close."""


def sha256_rounds(rounds, start=bytes(32)):
    """The WORK loop, as netplay's Java does it: digest of the previous digest, ``rounds`` times."""
    value = start
    sha256 = hashlib.sha256
    for _ in range(rounds):
        value = sha256(value).digest()
    return value


def data_bytes(length):
    alphabet = b"abcdefghijklmnopqrstuvwxyz"
    return (alphabet * (length // 26 + 1))[:length]


class Stats:
    """What INFO reports, counted by every connection of one server (under a lock where threads share it)."""

    def __init__(self, model):
        self.model = model
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.connected = 0
        self.connections = 0
        self.commands = 0
        self.next_id = 0

    def connection_opened(self):
        with self.lock:
            self.connected += 1
            self.connections += 1
            self.next_id += 1
            return self.next_id

    def connection_closed(self):
        with self.lock:
            self.connected -= 1

    def command(self):
        with self.lock:
            self.commands += 1


class Session:
    """One connection's state: its protocol version, its name."""

    def __init__(self, ident):
        self.id = ident
        self.resp3 = False
        self.name = None


def _text(data):
    return data.decode("latin-1")


def _arity(name, got, expected):
    return Reply(error("wrong number of arguments for '%s' command (got %d, expected: %s)" % (name, got, expected)))


def _bounded(command, param, value, low, high):
    n = decimal(value)
    if n is NOT_A_NUMBER:
        why = "not an integer"
    elif n is TOO_LONG or n < low or n > high:
        why = "out of range"
    else:
        return n
    return Reply(error("%s %s is %s: '%s' (expected: %d..%d)" % (command, param, why, quote(value), low, high)))


def _bad_name(value, what):
    if any(b < 0x21 or b > 0x7E for b in value):
        return Reply(error(what + " cannot contain spaces, newlines or special characters."))
    if len(value) > limits.MAX_CLIENT_NAME_BYTES:
        return Reply(error("%s must be at most %d bytes (got %d)" % (what, limits.MAX_CLIENT_NAME_BYTES, len(value))))
    return None


def dispatch(stats, session, args):
    """What to do for one request: a Reply, Sleep, Work, Data or Quit."""
    stats.command()
    name = _text(args[0]).upper()
    if name not in ARITY:
        return Reply(error("unknown command '%s'" % quote(args[0])))
    low, high = ARITY[name]
    argc = len(args) - 1
    if argc < low or (high is not None and argc > high):
        expected = ">= %d" % low if high is None else str(low) if low == high else "%d..%d" % (low, high)
        return _arity(name.lower(), argc, expected)
    if name == "PING":
        return Reply(PONG if argc == 0 else bulk(args[1]))
    if name == "ECHO":
        return Reply(bulk(args[1]))
    if name == "SLEEP":
        n = _bounded("SLEEP", "ms", args[1], 0, limits.MAX_SLEEP_MILLIS)
        return n if isinstance(n, Reply) else Sleep(n)
    if name == "WORK":
        n = _bounded("WORK", "n", args[1], 0, limits.MAX_WORK_ROUNDS)
        return n if isinstance(n, Reply) else Work(n)
    if name == "DATA":
        n = _bounded("DATA", "n", args[1], 0, limits.MAX_DATA_BYTES)
        return n if isinstance(n, Reply) else Data(n)
    if name == "QUIT":
        return Quit()
    if name == "INFO":
        return Reply(verbatim(info(stats, None if argc == 0 else _text(args[1])), session.resp3))
    if name == "CONFIG":
        if _text(args[1]).lower() != "get":
            return Reply(error("CONFIG subcommand '%s' is not supported (expected: GET)" % quote(args[1])))
        return Reply(map_header(0, session.resp3))  # no parameter matches: an empty map
    if name == "COMMAND":
        return Reply(map_header(0, session.resp3) if argc >= 1 and _text(args[1]).lower() == "docs" else EMPTY_ARRAY)
    if name == "SELECT":
        n = decimal(args[1])
        if not is_number(n):
            return Reply(error("value is not an integer or out of range"))
        return Reply(OK if n == 0 else error("DB index is out of range"))
    if name == "HELLO":
        return hello(session, args)
    return client(session, args)


def hello(session, args):
    """HELLO [protover [AUTH user pass] [SETNAME name]], with no password set: the default user takes any password."""
    version = 3 if session.resp3 else 2
    if len(args) >= 2:
        asked = decimal(args[1])
        if not is_number(asked):
            return Reply(error("Protocol version is not an integer or out of range"))
        if asked < 2 or asked > 3:
            return Reply(error("unsupported protocol version", "NOPROTO"))
        version = asked
    new_name = None
    j = 2
    while j < len(args):
        more = len(args) - 1 - j
        option = _text(args[j]).upper()
        if option == "AUTH" and more >= 2:
            if _text(args[j + 1]) != "default":
                return Reply(error("invalid username-password pair or user is disabled.", "WRONGPASS"))
            j += 3
        elif option == "SETNAME" and more >= 1:
            new_name = args[j + 1]
            bad = _bad_name(new_name, "Client names")
            if bad:
                return bad
            j += 2
        else:
            return Reply(error("Syntax error in HELLO option '%s'" % quote(args[j])))
    if new_name is not None:
        session.name = _text(new_name) or None
    session.resp3 = version == 3
    return Reply(b"".join([map_header(7, session.resp3), bulk("server"), bulk(SERVER_NAME), bulk("version"), bulk(VERSION),
                           bulk("proto"), integer(version), bulk("id"), integer(session.id), bulk("mode"),
                           bulk("standalone"), bulk("role"), bulk("master"), bulk("modules"), EMPTY_ARRAY]))


def client(session, args):
    """CLIENT ID|GETNAME|SETNAME|SETINFO, with Redis's replies and error texts."""
    sub = _text(args[1]).lower()
    argc = len(args) - 2
    if sub == "id":
        return _arity("client|id", argc, "0") if argc != 0 else Reply(integer(session.id))
    if sub == "getname":
        if argc != 0:
            return _arity("client|getname", argc, "0")
        return Reply(nil(session.resp3) if session.name is None else bulk(session.name.encode("latin-1")))
    if sub == "setname":
        if argc != 1:
            return _arity("client|setname", argc, "1")
        bad = _bad_name(args[2], "Client names")
        if bad:
            return bad
        session.name = _text(args[2]) or None  # an empty name clears it, as in Redis
        return Reply(OK)
    if sub == "setinfo":
        if argc != 2:
            return _arity("client|setinfo", argc, "2")
        if _text(args[2]).lower() not in ("lib-name", "lib-ver"):
            return Reply(error("Unrecognized option '%s'" % quote(args[2])))
        return _bad_name(args[3], quote(args[2])) or Reply(OK)
    return Reply(error("unknown subcommand '%s'. Try CLIENT HELP." % quote(args[1])))


def _proc_status():
    """This process's /proc/self/status fields (Threads, VmRSS ...); empty off Linux."""
    fields = {}
    try:
        with open("/proc/self/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                fields[key] = value.strip()
    except OSError:
        pass
    return fields


def info(stats, section):
    """INFO: what a Python process can honestly say of itself, in netplay's field names where they mean the same."""
    status = _proc_status()
    rss = status.get("VmRSS", "").split()
    times = os.times()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    uptime_ms = int((time.monotonic() - stats.started) * 1000)
    with stats.lock:
        connected, connections, commands = stats.connected, stats.connections, stats.commands
    sections = [
        ("Server", [("server_model", stats.model), ("python_version", sys.version.split()[0]),
                    ("implementation", sys.implementation.name), ("process_id", os.getpid()), ("pid", os.getpid()),
                    ("uptime_ms", uptime_ms), ("uptime_in_seconds", uptime_ms // 1000),
                    ("server_time_usec", time.time_ns() // 1000)]),
        ("Clients", [("connected_clients", connected), ("total_connections_received", connections)]),
        ("Stats", [("total_commands_processed", commands)]),
        ("Resources", [("threads_live", status.get("Threads", threading.active_count())),
                       ("rss_bytes", int(rss[0]) * 1024 if rss else -1),
                       ("process_cpu_ns", time.process_time_ns())]),
        ("Scheduler", [("process_cpu_user_ns", int(times.user * 1e9)), ("process_cpu_sys_ns", int(times.system * 1e9)),
                       ("ctx_switches_voluntary", usage.ru_nvcsw), ("ctx_switches_involuntary", usage.ru_nivcsw)]),
    ]
    wanted = None if section in (None, "all", "everything", "default") else section.lower()
    out = []
    for title, fields in sections:
        if wanted is not None and wanted != title.lower():
            continue
        out.append("# " + title)
        out.extend("%s:%s" % (k, v) for k, v in fields)
        out.append("")
    return "\r\n".join(out)
