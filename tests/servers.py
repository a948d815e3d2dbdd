"""A real server for tests that need several processes at once: gunicorn on a database
of its own (a SQLite file, or a PostgreSQL database made for the test when DATABASE_URL
names PostgreSQL), with the production settings, as `make run` serves."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def own_database():
    """Yields the URL of a new PostgreSQL database, or None for a SQLite file."""
    base = os.environ.get("DATABASE_URL", "")
    if not base.startswith("postgres"):
        yield None
        return
    import psycopg

    parts = urllib.parse.urlsplit(base)
    name = f"glossary_load_{os.getpid()}"
    maintenance = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Site:
    base: str
    env: dict
    log_path: Path

    def command(self, *args):
        return [sys.executable, "manage.py", *args]

    def start(self, *args):
        """A management command started in the background; its output in `stdout`."""
        return subprocess.Popen(
            self.command(*args),
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def manage(self, *args, timeout=120):
        return subprocess.run(
            self.command(*args),
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        ).stdout


@contextlib.contextmanager
def serve(tmp_path, database_url, commands, **settings):
    """Runs the management `commands` (migrate…), then serves with gunicorn until the end
    of the block. `settings` are environment variables (WEB_CONCURRENCY…)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GLOSSARY_", "DATABASE_", "REDIS_", "WEB_CONC"))
    }
    port = free_port()
    env.update(
        DJANGO_SETTINGS_MODULE="glossary_site.settings",
        DJANGO_SECRET_KEY="load-test-" + "x" * 40,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        GLOSSARY_SQLITE_PATH=str(tmp_path / "glossary.sqlite3"),
        GLOSSARY_CACHE_DIR=str(tmp_path / "cache"),
        HOST="127.0.0.1",
        PORT=str(port),
        PYTHONUNBUFFERED="1",
        **settings,
    )
    if database_url:
        env["DATABASE_URL"] = database_url

    site = Site(f"http://127.0.0.1:{port}", env, tmp_path / "gunicorn.log")
    for command in commands:
        site.manage(*command)
    with open(site.log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(site.base + "/healthz", timeout=2).read()
                break
            except OSError as error:
                if time.monotonic() > deadline or server.poll() is not None:
                    log = site.log_path.read_text()
                    raise AssertionError(f"gunicorn did not start:\n{log}") from error
                time.sleep(0.2)
        yield site
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
