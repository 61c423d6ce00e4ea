"""Both Python servers, started as processes on a free port and stopped by their PID, spoken to over TCP."""

import os
import re
import socket
import subprocess
import sys
import time
import unittest
from concurrent.futures import ThreadPoolExecutor

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
LISTENING = re.compile(r" listening on [^ ]+:(\d+) ")
START_SECONDS = 20
# WORK 3 from 32 zero bytes, as netplay's Java computes it (common/.../protocol/Work.sha256Rounds(3))
WORK_3 = "12771355e46cd47c71ed1721fd5319b383cca3a1f9fce3aa1c8cd3bd37af20d7"


class Server:
    def __init__(self, module, *args):
        self.process = subprocess.Popen([sys.executable, "-m", module, "--port", "0", *args], cwd=HERE,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.process.stdout.readline()
        match = LISTENING.search(line)
        if not match:
            self.stop()
            raise AssertionError("%s did not say it was listening; it said: %r" % (module, line))
        self.port = int(match.group(1))

    def connect(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=30)
        return s

    def call(self, payload):
        with self.connect() as s:
            s.sendall(payload)
            s.shutdown(socket.SHUT_WR)
            return read_all(s)

    def stop(self):
        if self.process.returncode is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process.stdout.close()
        return self.process.returncode


def read_all(s):
    out = b""
    while True:
        try:
            data = s.recv(65536)
        except ConnectionResetError:
            return out
        if not data:
            return out
        out += data


class EveryPythonServer:
    """The behaviours both servers share; each subclass names its module."""
    module = None
    args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(cls.module, *cls.args)  # one server for the class: each test opens its own connections

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def test_ping_echo_and_an_unknown_command_answer_as_netplay_does(self):
        self.assertEqual(self.server.call(b"PING\r\nECHO hi\r\nNOPE 1\r\nECHO\r\n"),
                         b"+PONG\r\n$2\r\nhi\r\n-ERR unknown command 'NOPE'\r\n"
                         b"-ERR wrong number of arguments for 'echo' command (got 0, expected: 1)\r\n")

    def test_work_gives_the_same_digest_as_the_java_servers(self):
        self.assertEqual(self.server.call(b"WORK 3\r\n"), b"$64\r\n" + WORK_3.encode() + b"\r\n")

    def test_bad_numbers_name_the_value_and_the_range(self):
        self.assertEqual(self.server.call(b"SLEEP -1\r\nWORK 10000001\r\n"),
                         b"-ERR SLEEP ms is out of range: '-1' (expected: 0..60000)\r\n"
                         b"-ERR WORK n is out of range: '10000001' (expected: 0..10000000)\r\n")

    def test_quit_answers_and_closes(self):
        with self.server.connect() as s:
            s.sendall(b"QUIT\r\nPING\r\n")
            self.assertEqual(read_all(s), b"+OK\r\n")

    def test_a_protocol_error_is_answered_then_the_connection_closed_and_the_server_serves_on(self):
        self.assertEqual(self.server.call(b"PING\r\n*abc\r\nPING\r\n"),
                         b"+PONG\r\n-ERR Protocol error: invalid multibulk length: 'abc' (expected: 0..1024)\r\n")
        self.assertEqual(self.server.call(b"PING\r\n"), b"+PONG\r\n")

    def test_info_says_what_the_process_can_honestly_say(self):
        reply = self.server.call(b"INFO\r\n").decode()
        for field in ("server_model:", "process_id:", "connected_clients:", "total_commands_processed:", "rss_bytes:",
                      "process_cpu_ns:", "threads_live:"):
            self.assertIn(field, reply)

    def test_hello_3_switches_to_resp3(self):
        reply = self.server.call(b"HELLO 3\r\nCLIENT GETNAME\r\n")
        self.assertTrue(reply.startswith(b"%7\r\n$6\r\nserver\r\n$7\r\nnetplay\r\n"), reply)
        self.assertTrue(reply.endswith(b"_\r\n"), reply)

    def test_connections_sleeping_at_once_all_finish_together(self):
        # 50 connections each SLEEP 500 ms: together in about 0.5 s, not 25 s; a generous bound, not a benchmark
        def sleep_once(_):
            return self.server.call(b"SLEEP 500\r\n")
        started = time.monotonic()
        with ThreadPoolExecutor(50) as pool:
            replies = list(pool.map(sleep_once, range(50)))
        self.assertEqual(replies, [b"+OK\r\n"] * 50)
        self.assertLess(time.monotonic() - started, 10)

    def test_terminate_stops_the_server_cleanly(self):
        own = Server(self.module, *self.args)
        self.assertEqual(own.call(b"PING\r\n"), b"+PONG\r\n")
        self.assertEqual(own.stop(), 0)

    def test_redis_py_is_a_client(self):
        try:
            import redis
        except ImportError:
            self.skipTest("redis-py is not installed: python3 -m pip install redis")
        r = redis.Redis(port=self.server.port, socket_timeout=30)
        self.assertTrue(r.ping())
        self.assertEqual(r.echo("hi"), b"hi")
        self.assertEqual(r.execute_command("SLEEP", 10), b"OK")
        r.close()


class AsyncioServer(EveryPythonServer, unittest.TestCase):
    module = "netplay_py.asyncio_server"


class ThreadsServer(EveryPythonServer, unittest.TestCase):
    module = "netplay_py.threads_server"


class UvloopServer(EveryPythonServer, unittest.TestCase):
    module = "netplay_py.asyncio_server"
    args = ("--loop", "uvloop")

    @classmethod
    def setUpClass(cls):
        try:
            import uvloop  # noqa: F401
        except ImportError:
            raise unittest.SkipTest("uvloop is not installed: python3 -m pip install uvloop")
        super().setUpClass()


class BadCommandLines(unittest.TestCase):
    def test_a_bad_port_is_named_with_its_range(self):
        for module in ("netplay_py.asyncio_server", "netplay_py.threads_server"):
            done = subprocess.run([sys.executable, "-m", module, "--port", "70000"], cwd=HERE, capture_output=True,
                                  text=True, timeout=20)
            self.assertEqual(done.returncode, 2)
            self.assertIn("--port must be in 0..65535, got 70000", done.stderr)
            self.assertNotIn("Traceback", done.stderr)

    def test_a_port_in_use_is_a_clear_error(self):
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            for module in ("netplay_py.asyncio_server", "netplay_py.threads_server"):
                done = subprocess.run([sys.executable, "-m", module, "--port", str(port)], cwd=HERE, capture_output=True,
                                      text=True, timeout=20)
                self.assertEqual(done.returncode, 2, done.stderr)
                self.assertIn("cannot listen on 127.0.0.1:%d" % port, done.stderr)
                self.assertNotIn("Traceback", done.stderr)


if __name__ == "__main__":
    unittest.main()
