"""Serve the glossary and run its task worker together, as `make run` does.

Starts gunicorn (gunicorn.conf.py) and `manage.py run_worker` as children; stops both
when either ends or on Ctrl+C / SIGTERM, so one command starts and stops everything.

Usage: python scripts/run_all.py
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# After Ctrl+C, how long a worker in the middle of an import may take to finish it.
GRACE = 30


def main():
    children = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"], cwd=ROOT
        ),
        subprocess.Popen([sys.executable, "manage.py", "run_worker"], cwd=ROOT),
    ]
    stopping = []

    def stop(signum, _frame):
        stopping.append(signum)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    while not stopping and all(child.poll() is None for child in children):
        time.sleep(0.2)
    for child in children:
        if child.poll() is None and not reached_every_child(stopping):
            # Ctrl+C in a terminal reaches every child itself (a second signal would make
            # the worker drop its import); a service manager's SIGTERM, a SIGINT sent to
            # this process alone, or one child ending, is passed on.
            child.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + GRACE
    for child in children:
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.kill()  # an import cut short writes nothing: it is one transaction
            child.wait()
    # Stopped on request: a clean exit; a child that ended by itself: a failure.
    sys.exit(0 if stopping else 1)


def reached_every_child(stopping):
    """Whether the signal that stops us was Ctrl+C in the terminal we run in the foreground
    of: the terminal then signals the whole process group, our children included."""
    if stopping != [signal.SIGINT]:
        return False
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except OSError:  # no terminal: the signal came to this process alone
        return False


if __name__ == "__main__":
    main()
