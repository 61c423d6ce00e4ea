"""scripts/bench: benchmarks of the servers against a reference. See scripts/bench for the usage."""
import argparse
import glob
import os
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time

LISTENING = re.compile(r"netplay \S+ listening on (\S+):(\d+) ")
# (label, redis-benchmark options, requests per run as a multiple of --requests): pipelined runs are 10 times
# faster, and get 8 times the requests so that CPU time, counted in 10 ms ticks, is still read to a few percent.
CONFIGS = [("-c 50", ["-c", "50"], 1), ("-c 50 -P 16", ["-c", "50", "-P", "16"], 8), ("-c 2000", ["-c", "2000"], 1)]
JVM_OPTIONS = ["-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError"]
# The heap's pages touched at start: otherwise G1 grows its young generation into pages never touched before for the
# first ~10 million requests, and each first touch is a page fault (8-31 per 1,000 PINGs, ~12 µs each on this VM:
# 10% of netty's CPU at -P 16 in a profile), a cost of a young JVM that redis-server, with its few pages, never pays.
# A long-running server has touched its heap; this measures that steady state. --no-pretouch measures the young one.
PRETOUCH = "-XX:+AlwaysPreTouch"
# Netty 4.2 leaves sun.misc.Unsafe alone on Java 25+ by default and reaches direct memory through ByteBuffer; these
# give it Unsafe back (and keep the JDK from warning about it).
NETTY_UNSAFE_OPTIONS = ["--sun-misc-unsafe-memory-access=allow", "-Dio.netty.noUnsafe=false"]
NETTY_UNSAFE_FROM_JAVA = 25
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
START_TIMEOUT_S = 30
BENCHMARK_TIMEOUT_S = 600
IDLE_SETTLE_TIMEOUT_S = 60
# What one process may hold open, less room for the control connection, the JVM's files and Python's own.
MAX_IDLE_CONNECTIONS = resource.getrlimit(resource.RLIMIT_NOFILE)[0] - 100
HISTOGRAM_TOP_CLASSES = 6


def count(text):
    """200k, 1m, 5000 -> an int >= 1; a clear error otherwise."""
    m = re.fullmatch(r"([0-9]+)([km]?)", text.strip().lower())
    if not m or int(m.group(1)) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a count (expected e.g. 5000, 200k, 1m)")
    return int(m.group(1)) * {"": 1, "k": 1000, "m": 1000000}[m.group(2)]


def parse_args(argv):
    p = argparse.ArgumentParser(prog="scripts/bench")
    p.add_argument("--server-jar", required=True, help=argparse.SUPPRESS)
    p.add_argument("--bench-jar", help=argparse.SUPPRESS)
    p.add_argument("--client-jar", help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="benchmark", required=True, metavar="BENCHMARK")
    parity = sub.add_parser("redis-parity", help="each model's requests/s and CPU per request beside redis-server's")
    parity.add_argument("--rounds", type=count, default=3, help="rounds; the figures are their medians (default: 3)")
    parity.add_argument("--requests", type=count, default=200_000, help="requests per redis-benchmark run (default: 200k)")
    parity.add_argument("--models", default="netty,threads-platform,threads-virtual",
                        help="netplay models, comma-separated, as 'scripts/server models' lists them (default: %(default)s)")
    parity.add_argument("--no-pin", action="store_true", help="share every CPU instead of server CPU 1, client CPU 0")
    parity.add_argument("--warmup-rounds", type=count, default=2,
                        help="unmeasured rounds of every load first (default: 2): until a JVM's JIT has stopped "
                             "recompiling and its heap has stopped growing into untouched pages, it is not in its steady "
                             "state")
    parity.add_argument("--redis-last", action="store_true",
                        help="start and load redis-server after the netplay models in each round, not before (run both "
                             "ways round: the order of two like servers can bend their figures by a few %%)")
    parity.add_argument("--no-pretouch", action="store_true",
                        help="leave the JVMs' heaps untouched at start (-XX:+AlwaysPreTouch is the default here): their "
                             "first touches then fall in the measured runs as page faults")
    parity.add_argument("--profile", metavar="DIR",
                        help="profile each server over its last round's runs (async-profiler on the JVMs, perf on "
                             "redis-server, as compare --profile does): collapsed stacks, flame graph pages and where the "
                             "CPU went in DIR")
    parity.add_argument("--netty-unsafe", action="store_true",
                        help="also run netty with sun.misc.Unsafe allowed (target netty-unsafe); Netty does without "
                             "it by default on Java 25+")
    parity.add_argument("--baseline", metavar="JAR",
                        help="also run every model from another build of the server, e.g. server/target/netplay-server.jar "
                             "of a worktree at the commit before a change (targets MODEL-baseline), and print after/before")
    parity.add_argument("--baseline-first", action="store_true",
                        help="with --baseline: start and load each model's baseline before it (the second of two like "
                             "servers tends to measure slower: run both ways round)")
    idle = sub.add_parser("idle-heap", help="each model's live heap and RSS per idle connection (jcmd GC.class_histogram)")
    idle.add_argument("--connections", type=count, default=10_000,
                      help="idle connections held open (default: 10k; at most %d)" % MAX_IDLE_CONNECTIONS)
    idle.add_argument("--models", default="netty,nio,threads-platform,threads-virtual",
                      help="netplay models, comma-separated, as 'scripts/server models' lists them (default: %(default)s)")
    idle.add_argument("--no-pin", action="store_true", help="share every CPU instead of server CPU 1, client CPU 0")
    ping = sub.add_parser("ping-path", help="the Netty server's PING path in JMH: ns and bytes allocated per request")
    ping.add_argument("--no-pin", action="store_true", help="run on any CPU instead of CPU 1")
    args = p.parse_args(argv)
    if args.benchmark == "ping-path":
        return args
    if args.benchmark == "idle-heap" and args.connections > MAX_IDLE_CONNECTIONS:
        p.error(f"--connections {args.connections} is out of range (expected: 1..{MAX_IDLE_CONNECTIONS}: this "
                f"process's open files)")
    models = [m.strip() for m in args.models.split(",") if m.strip()]
    args.java, args.feature = java_home()
    args.catalog = server_models(args.java, args.server_jar)
    unknown = [m for m in models if m not in args.catalog]
    if unknown or not models:
        p.error(f"--models {args.models}: {', '.join(unknown) or 'none given'} (expected some of: {', '.join(args.catalog)})")
    args.models = models
    return args


def server_models(java, server_jar):
    """The models the server jar lists ('server models', run on the servers' JVM): name -> (command line, why not here)."""
    out = subprocess.run([java, "-jar", server_jar, "models"], capture_output=True, text=True, timeout=START_TIMEOUT_S)
    if out.returncode != 0:
        sys.exit(f"error: {server_jar} models failed: {out.stdout.strip()} {out.stderr.strip()}")
    lines = [line for line in out.stdout.splitlines() if line.strip()]
    header = lines[0].split("\t")
    models = {}
    for line in lines[1:]:
        fields = dict(zip(header, line.split("\t")))
        models[fields["name"]] = (fields["command"].split(" "), fields["unavailable"] or None)
    return models


def runnable(args):
    """The models asked for that the servers' JVM can run; the others are named with the reason."""
    models = []
    for model in args.models:
        reason = args.catalog[model][1]
        if reason:
            print(f"{model} is left out: {reason}")
        else:
            models.append(model)
    return models


def java_home():
    """A JDK 21+ (virtual threads) for every netplay model: JAVA_HOME if it is one, else the newest under /usr/lib/jvm."""
    candidates = ([os.environ["JAVA_HOME"]] if os.environ.get("JAVA_HOME") else []) + sorted(glob.glob("/usr/lib/jvm/*"))
    best, best_feature = None, 0
    for home in candidates:
        java = os.path.join(home, "bin", "java")
        if not os.access(java, os.X_OK):
            continue
        out = subprocess.run([java, "-XshowSettings:properties", "-version"], capture_output=True, text=True).stderr
        m = re.search(r"java\.specification\.version = (\d+)", out)
        feature = int(m.group(1)) if m else 0
        if feature > best_feature:
            best, best_feature = java, feature
    return best or "java", best_feature


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime, fields 14 and 15 of stat


class Target:
    def __init__(self, name, command, port=None):
        self.name = name
        self.log = open(f"/tmp/netplay-bench-{name}-{os.getpid()}.log", "w+")
        self.process = subprocess.Popen(command, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.port = port or self._await_listening()

    def _await_listening(self):
        deadline = time.time() + START_TIMEOUT_S
        while time.time() < deadline:
            self.log.seek(0)
            m = LISTENING.search(self.log.read())
            if m:
                return int(m.group(2))
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        self.log.seek(0)
        sys.exit(f"error: {self.name} did not start: {self.log.read().strip()}")

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def minor_faults(pid):
    with open(f"/proc/{pid}/stat") as f:
        return int(f.read().rsplit(")", 1)[1].split()[7])  # minflt, field 10 of stat


PROFILE_LINES = []


class Profile:
    """The server profiled over one run by `client profile` (the client jar), as compare --profile does."""

    def __init__(self, args, target, name):
        self.command = ["java", "-jar", args.client_jar, "profile", "--pid", str(target.process.pid), "--out", args.profile,
                        "--name", name] + (["--perf"] if target.name == "redis-server" else [])

    def __enter__(self):
        self.process = subprocess.Popen(self.command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(1.5)  # attached and sampling before the load begins
        return self

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGINT)  # `client profile` stops and writes at SIGINT
        out, _ = self.process.communicate(timeout=120)
        PROFILE_LINES.append(out.strip())
        return False


def benchmark(target, config, requests, client_prefix):
    """One redis-benchmark run: (requests/s, server CPU µs per request, minor page faults per 1,000 requests)."""
    before = cpu_ticks(target.process.pid)
    faults = minor_faults(target.process.pid)
    command = client_prefix + ["redis-benchmark", "-h", "127.0.0.1", "-p", str(target.port), "-t", "ping_mbulk",
                               "-n", str(requests), "--csv"] + config
    out = subprocess.run(command, capture_output=True, text=True, timeout=BENCHMARK_TIMEOUT_S)
    after = cpu_ticks(target.process.pid)
    m = re.search(r'"PING_MBULK","([0-9.]+)"', out.stdout)
    if out.returncode != 0 or not m:
        sys.exit(f"error: redis-benchmark against {target.name} failed: {out.stdout.strip()} {out.stderr.strip()}")
    return float(m.group(1)), (after - before) * 1e6 / CLOCK_TICKS / requests, \
        (minor_faults(target.process.pid) - faults) * 1000 / requests


def redis_parity(args):
    if not shutil.which("redis-benchmark"):
        sys.exit("error: redis-benchmark is not installed (apt-get install redis-tools)")
    if args.baseline and not os.path.isfile(args.baseline):
        sys.exit(f"error: --baseline {args.baseline}: no such file (expected: a netplay-server.jar)")
    pin = not args.no_pin and shutil.which("taskset") and os.cpu_count() >= 2
    server_prefix = ["taskset", "-c", "1"] if pin else []
    client_prefix = ["taskset", "-c", "0"] if pin else []
    java, feature = args.java, args.feature
    jvm_options = JVM_OPTIONS + ([] if args.no_pretouch else [PRETOUCH])
    models = runnable(args)
    targets = []
    try:
        if shutil.which("redis-server"):
            port = free_port()
            targets.append(Target("redis-server", server_prefix + ["redis-server", "--port", str(port), "--bind", "127.0.0.1",
                                                                    "--save", "", "--appendonly", "no", "--maxclients", "10000"], port))
            time.sleep(0.5)
        else:
            print("redis-server is not installed (apt-get install redis-server): netplay models only, no ratios")
        for model in models:
            pair = [(model, args.server_jar)]
            if args.baseline:  # the same model from the other build, measured in the same rounds
                pair.append((model + "-baseline", args.baseline))
                if args.baseline_first:
                    pair.reverse()
            for name, jar in pair:
                targets.append(Target(name, server_prefix + [java] + jvm_options + ["-jar", jar] + args.catalog[model][0]
                                      + ["--bind", "127.0.0.1", "--port", "0"]))
        if args.redis_last and targets and targets[0].name == "redis-server":
            targets.append(targets.pop(0))
        if args.netty_unsafe:
            if feature < NETTY_UNSAFE_FROM_JAVA:
                print(f"--netty-unsafe: on Java {feature} Netty uses Unsafe by default: no second target")
            else:
                targets.append(Target("netty-unsafe", server_prefix + [java] + NETTY_UNSAFE_OPTIONS + jvm_options
                                      + ["-jar", args.server_jar, "netty", "--bind", "127.0.0.1", "--port", "0"]))
        version = subprocess.run(["redis-server", "--version"], capture_output=True, text=True).stdout.strip() \
            if shutil.which("redis-server") else "no redis-server"
        print(f"servers {'on CPU 1, redis-benchmark on CPU 0' if pin else 'unpinned'}; netplay on {java} (Java {feature}) "
              f"{' '.join(jvm_options)}; {version}; redis-benchmark -t ping_mbulk -n {args.requests} "
              f"(-P 16: {args.requests * 8}); {args.warmup_rounds} unmeasured round(s), then {args.rounds} rounds, medians")
        for round_ in range(args.warmup_rounds):  # the JIT compiles, the heap grows: then the steady state is measured
            for label, config, scale in CONFIGS:
                for t in targets:
                    benchmark(t, config, args.requests * scale, client_prefix)
            print(f"warm-up round {round_ + 1} of {args.warmup_rounds} done", file=sys.stderr)
        results = {}
        for round_ in range(args.rounds):
            for label, config, scale in CONFIGS:
                for t in targets:  # alternating, so that the machine's noise falls on every target alike
                    results.setdefault((label, t.name), []).append(benchmark(t, config, args.requests * scale, client_prefix))
            print(f"round {round_ + 1} of {args.rounds} done", file=sys.stderr)
        if args.profile:  # one more round, profiled and not counted: the profilers' own cost stays out of the figures
            for label, config, scale in CONFIGS:
                for t in targets:
                    with Profile(args, t, t.name + "_" + label.replace(" -", "_").replace(" ", "").lstrip("-")):
                        benchmark(t, config, args.requests * scale, client_prefix)
            print("profiled round done", file=sys.stderr)
    finally:
        for t in targets:
            t.stop()
    print(f"{'load':<13} {'server':<17} {'req/s':>10} {'CPU us/req':>11} {'req/s ratio':>12} {'CPU ratio':>10} {'faults/1k req':>14}")
    for label, _, _ in CONFIGS:
        redis = results.get((label, "redis-server"))
        reference = (statistics.median(r[0] for r in redis), statistics.median(r[1] for r in redis)) if redis else None
        for t in targets:
            runs = results[(label, t.name)]
            rps = statistics.median(r[0] for r in runs)
            cpu = statistics.median(r[1] for r in runs)
            faults = statistics.median(r[2] for r in runs)
            ratio = f"{rps / reference[0]:>12.2f} {cpu / reference[1]:>10.2f}" if reference and reference[1] > 0 else f"{'':>23}"
            print(f"{label:<13} {t.name:<17} {rps:>10.0f} {cpu:>11.2f} {ratio} {faults:>14.2f}")
    if args.profile:
        print(f"\nprofiles of the last round (where the CPU went, % of each server's CPU samples): {args.profile}")
        for line in PROFILE_LINES:
            print(line)
    if args.baseline:
        print(f"\nthis build against --baseline {args.baseline} (medians, same rounds): after / before")
        print(f"{'load':<13} {'server':<17} {'req/s':>8} {'CPU us/req':>11}")
        for label, _, _ in CONFIGS:
            for model in models:
                after, before = results[(label, model)], results[(label, model + "-baseline")]
                rps = statistics.median(r[0] for r in after) / statistics.median(r[0] for r in before)
                cpu = statistics.median(r[1] for r in after) / statistics.median(r[1] for r in before)
                print(f"{label:<13} {model:<17} {rps:>8.3f} {cpu:>11.3f}")


def heap_histogram(jcmd, pid):
    """Live heap after a full GC (GC.class_histogram collects first): (total bytes, {class: bytes})."""
    out = subprocess.run([jcmd, str(pid), "GC.class_histogram"], capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        sys.exit(f"error: jcmd {pid} GC.class_histogram failed: {out.stdout.strip()} {out.stderr.strip()}")
    classes, total = {}, None
    for line in out.stdout.splitlines():
        m = re.match(r"\s*\d+:\s+\d+\s+(\d+)\s+(\S+)", line)
        if m:
            classes[m.group(2)] = int(m.group(1))
        m = re.match(r"Total\s+\d+\s+(\d+)", line)
        if m:
            total = int(m.group(1))
    if total is None:
        sys.exit(f"error: no Total line in jcmd's class histogram of {pid}")
    return total, classes


def rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        m = re.search(r"VmRSS:\s+(\d+) kB", f.read())
    return int(m.group(1)) * 1024


def connected_clients(port):
    """The server's connected_clients, not counting the connection that asks."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(b"INFO clients\r\n")
        data = b""
        while not re.search(rb"connected_clients:\d+\r\n", data):
            chunk = s.recv(65536)
            if not chunk:
                return -1
            data += chunk
    return int(re.search(rb"connected_clients:(\d+)", data).group(1)) - 1


def idle_heap(args):
    pin = not args.no_pin and shutil.which("taskset") and os.cpu_count() >= 2
    server_prefix = ["taskset", "-c", "1"] if pin else []
    java, feature = args.java, args.feature
    jcmd = os.path.join(os.path.dirname(java), "jcmd")
    if not os.access(jcmd, os.X_OK):
        sys.exit(f"error: {jcmd} not found: idle-heap reads the heap with the server JDK's jcmd")
    if pin:
        os.sched_setaffinity(0, {0})
    models = runnable(args)
    print(f"servers {'on CPU 1, this script on CPU 0' if pin else 'unpinned'}; {java} (Java {feature}) "
          f"{' '.join(JVM_OPTIONS)}; {args.connections} idle connections (connected, nothing sent); live heap from "
          f"jcmd GC.class_histogram (after a full GC) before and after, RSS from /proc")
    rows = []
    for model in models:
        target = Target(model, server_prefix + [java] + JVM_OPTIONS + ["-jar", args.server_jar] + args.catalog[model][0]
                        + ["--bind", "127.0.0.1", "--port", "0", "--max-connections", str(args.connections + 10)])
        sockets = []
        try:
            heap0, classes0 = heap_histogram(jcmd, target.process.pid)
            rss0 = rss_bytes(target.process.pid)
            for _ in range(args.connections):
                sockets.append(socket.create_connection(("127.0.0.1", target.port), timeout=10))
            deadline = time.time() + IDLE_SETTLE_TIMEOUT_S
            while connected_clients(target.port) < args.connections:
                if time.time() > deadline:
                    sys.exit(f"error: {model} did not report {args.connections} connected clients in "
                             f"{IDLE_SETTLE_TIMEOUT_S} s")
                time.sleep(0.2)
            heap1, classes1 = heap_histogram(jcmd, target.process.pid)
            rss1 = rss_bytes(target.process.pid)
        finally:
            for s in sockets:
                s.close()
            target.stop()
        growth = sorted(((classes1.get(c, 0) - classes0.get(c, 0), c) for c in classes1), reverse=True)
        top = ", ".join(f"{c} {b / args.connections:.0f}" for b, c in growth[:HISTOGRAM_TOP_CLASSES] if b > 0)
        rows.append((model, (heap1 - heap0) / args.connections / 1024, (rss1 - rss0) / args.connections / 1024, top))
    print(f"{'model':<17} {'heap KiB/conn':>13} {'RSS KiB/conn':>13}  largest growth, bytes per connection")
    for model, heap, rss, top in rows:
        print(f"{model:<17} {heap:>13.2f} {rss:>13.2f}  {top}")


def ping_path(args):
    pin = not args.no_pin and shutil.which("taskset") and os.cpu_count() >= 2
    java, feature = java_home()
    command = (["taskset", "-c", "1"] if pin else []) + [java, "-jar", args.bench_jar, "PingPathBenchmark", "-prof", "gc"]
    print(f"{' '.join(command)}  (Java {feature})", flush=True)
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit(f"error: JMH failed: {out.stdout[-2000:]} {out.stderr[-2000:]}")
    rows = [line for line in out.stdout.splitlines()
            if line.startswith("Benchmark ") or (line.startswith("PingPathBenchmark.")
                                                  and (":" not in line.split()[0] or "alloc.rate.norm" in line))]
    print("\n".join(rows))


def main(argv):
    args = parse_args(argv)
    if args.benchmark == "redis-parity":
        redis_parity(args)
    elif args.benchmark == "idle-heap":
        idle_heap(args)
    elif args.benchmark == "ping-path":
        ping_path(args)


if __name__ == "__main__":
    main(sys.argv[1:])
