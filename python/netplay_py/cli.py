"""The command line both Python servers share: where to listen, and the line that says they do."""

import argparse
import sys

MAX_PORT = 65535


def port(text):
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError("--port must be a number in 0..%d, got '%s'" % (MAX_PORT, text))
    if not 0 <= value <= MAX_PORT:
        raise argparse.ArgumentTypeError("--port must be in 0..%d, got %d" % (MAX_PORT, value))
    return value


def parser(model, description):
    p = argparse.ArgumentParser(prog="python3 -m netplay_py." + model, description=description)
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=port, default=6379, help="port to listen on, 0 for any free one (default: 6379)")
    return p


def listening(model, host, bound_port, details):
    """The line netplay's servers print once they accept connections: scripts and tests wait for it."""
    print("%s listening on %s:%d (%s)" % (model, host, bound_port, details), flush=True)


def fail(message):
    print("error: " + message, file=sys.stderr, flush=True)
    sys.exit(2)
