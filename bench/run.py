"""The glossary's benchmark: the SPEC's quality bars, measured as a user would meet them.

Steps, all against 127.0.0.1 and a throwaway SQLite database in a temporary directory:

1. generate a deterministic synthetic glossary (`synthetic.py`, seed 42) as a CSV;
2. time `manage.py import_glossary FILE --dry-run`, then the real import, then
   `manage.py export_glossary` as CSV and XLSX (each bounded by a timeout);
3. serve it with gunicorn exactly as `make run` does (`gunicorn.conf.py`);
4. load each reader URL with wrk (`wrk/cycle.lua`): /healthz, the home, a letter
   page, 200 term pages, the domain pages, realistic searches; then load the site
   while a second import rewrites every definition, and check that nothing was lost;
5. print a table (throughput as a ratio to /healthz, latency percentiles, errors,
   worker memory) and append it to `RESULTS.md`.

Usage: `make bench`, or `.venv/bin/python bench/run.py --concepts 500 --duration 5`.
"""

import argparse
import contextlib
import csv
import datetime
import http.cookiejar
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import embed_page
import synthetic

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV_BIN = ROOT / ".venv" / "bin"
WRK_SCRIPT = BENCH / "wrk" / "cycle.lua"
RESULTS_FILE = BENCH / "RESULTS.md"
HOST = "127.0.0.1"  # the only host this script ever sends a request to
# Where manage.py and gunicorn run: the working tree, or with --commit a snapshot of one commit.
app_dir = ROOT

# From this size on, the SPEC's bars at 100,000 concepts apply (Bars.at).
SCALE_CONCEPTS = 100_000

TERM_PAGES = 200  # distinct term pages the term load cycles through
SEARCH_QUERIES = 300  # distinct queries the search load cycles through
FRESH_QUERIES_PER_S = 400  # new queries prepared per second of the never-cached search run
SLOWEST_SHOWN = 5  # slowest paths listed in the report, for targets with many paths
# Inherited settings are dropped: they could point the app at another database or cache
# (DATABASE_URL, REDIS_URL), require a login, or change gunicorn's workers.
FOREIGN_SETTINGS = ("DJANGO_", "GLOSSARY_", "DATABASE_", "REDIS_", "GUNICORN_", "WEB_CONCURRENCY")


@dataclass(frozen=True)
class Bars:
    """The SPEC's bars for a glossary of this size. It sets the exports' and the embedding
    script's at 10,000 concepts only: at 100,000 their figures are reported unjudged."""

    import_s: float  # dry run plus confirm
    export_s: float | None
    rss_mb: float
    search_p95_ms: float
    embedding: bool

    @staticmethod
    def at(concepts):
        return SCALE_BARS if concepts >= SCALE_CONCEPTS else BARS


BARS = Bars(import_s=20.0, export_s=5.0, rss_mb=150.0, search_p95_ms=50.0, embedding=True)
SCALE_BARS = Bars(import_s=180.0, export_s=None, rss_mb=200.0, search_p95_ms=100.0, embedding=False)


class BenchError(Exception):
    """A step failed in a way that makes the rest meaningless; the message says which."""


# -- options and environment ---------------------------------------------------------------


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--concepts", type=int, default=10_000, help="glossary size (10000)")
    parser.add_argument("--duration", type=int, default=30, help="seconds of load per URL (30)")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per URL (2)")
    parser.add_argument("--connections", type=int, default=64, help="wrk connections (64)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument(
        "--workers", type=int, help="gunicorn workers (default: gunicorn.conf.py, 2 × cores)"
    )
    parser.add_argument(
        "--import-timeout", type=int, default=600, help="seconds before an import is stopped (600)"
    )
    parser.add_argument(
        "--fallback-concepts",
        type=int,
        default=1000,
        help="when the full import is stopped or fails, serve this many concepts instead (1000)",
    )
    parser.add_argument(
        "--latency-connections",
        type=int,
        help="connections of the extra search run that measures latency without queueing "
        "(default: one per gunicorn worker)",
    )
    parser.add_argument("--seed", type=int, default=42, help="seed of the synthetic glossary (42)")
    parser.add_argument(
        "--shape",
        choices=list(synthetic.SHAPES),
        default="default",
        help="what the synthetic glossary looks like: definition length, mentions, shared "
        "words, term length (default)",
    )
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL server to measure on (postgres://user@host:port/name): a throwaway "
        "database is created beside NAME and dropped at the end (default: a throwaway SQLite)",
    )
    parser.add_argument(
        "--redis-url",
        help="a Redis server for the shared cache (redis://host:port/db; keys are prefixed by "
        "the throwaway database, so nothing else is touched) (default: the folder cache)",
    )
    parser.add_argument(
        "--servers",
        type=int,
        default=1,
        help="gunicorn instances on different ports sharing the database and the cache, "
        "loaded together; an edit through one must show on every other at once (1)",
    )
    parser.add_argument(
        "--no-import-under-load",
        action="store_true",
        help="skip the last phase (load while an import rewrites every definition)",
    )
    parser.add_argument(
        "--commit",
        help="measure this commit (a snapshot made with git archive, served with the project's "
        "virtualenv) instead of the working tree: stable figures while someone edits the app",
    )
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        metavar="URL",
        help="leave out the load rows whose name starts with URL (repeatable), e.g. "
        "--skip /fr/print/ at 100,000 concepts, where the printable glossary is thousands of pages",
    )
    parser.add_argument("--no-log", action="store_true", help="do not append to RESULTS.md")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    return parser.parse_args(argv)


def bench_env(workdir, workers, database_url=None, redis_url=None):
    """The environment of every command: `make run`'s settings on the throwaway database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(FOREIGN_SETTINGS)}
    if database_url:
        env["DATABASE_URL"] = database_url
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(
        GLOSSARY_SQLITE_PATH=str(workdir / "bench.sqlite3"),
        GLOSSARY_CACHE_DIR=str(workdir / "cache"),
        DJANGO_SECRET_KEY="bench-" + "not-a-secret-" * 4 + str(os.getpid()),
        DJANGO_DEBUG="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        HOST=HOST,  # gunicorn.conf.py binds to $HOST:$PORT
        PYTHONUNBUFFERED="1",
    )
    if workers:
        env["WEB_CONCURRENCY"] = str(workers)
    return env


def say(message):
    print(message, flush=True)


# -- management commands ---------------------------------------------------------------------


@dataclass
class Timed:
    """One command's wall time and outcome; its output is in `log`."""

    name: str
    seconds: float
    returncode: int | None  # None: stopped by the timeout
    log: Path

    @property
    def ok(self):
        return self.returncode == 0

    def output(self):
        return self.log.read_text(encoding="utf-8", errors="replace")

    def describe(self):
        if self.returncode is None:
            return f"STOPPED after {self.seconds:.0f} s (timeout)"
        if self.returncode != 0:
            return f"FAILED (exit {self.returncode}) after {self.seconds:.1f} s"
        return f"{self.seconds:.2f} s"


def manage(env, workdir, name, *args, timeout=600):
    """Run `manage.py ARGS` with the venv's python from the project, as a user would."""
    log = workdir / f"{name}.log"
    command = [str(VENV_BIN / "python"), "manage.py", *args]
    start = time.perf_counter()
    with open(log, "w", encoding="utf-8") as output:
        try:
            completed = subprocess.run(
                command,
                cwd=app_dir,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                timeout=timeout,
            )
            returncode = completed.returncode
        except subprocess.TimeoutExpired:
            returncode = None  # subprocess.run has killed it
    return Timed(name, time.perf_counter() - start, returncode, log)


def import_counts(timed):
    """(new, changed, unchanged) from import_glossary's summary line, or None."""
    match = re.search(r"(\d+) new, (\d+) changed, (\d+) unchanged", timed.output())
    return tuple(int(n) for n in match.groups()) if match else None


def tail(path, lines=15):
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


# -- request paths -----------------------------------------------------------------------------


def fold(text):
    """What a reader types on a plain keyboard: no accents, no case, no apostrophes."""
    return synthetic.slug_for(text).replace("-", " ")


def term_paths(rows, rng, count=TERM_PAGES):
    return [f"/fr/terms/{row['slug']}/" for row in rng.sample(rows, min(count, len(rows)))]


def search_queries(rows, rng, count=SEARCH_QUERIES):
    """Distinct queries as readers type them, in a shuffled mix of kinds.

    Terms as written and on a plain keyboard, acronyms in lowercase, word prefixes
    (what the suggestions send while typing), words with a typo, two-word phrases.
    Several hundred, so that a page cache in the app cannot turn the search load into
    the same few cached pages.
    """
    words = sorted({w for row in rows for w in fold(row["term_fr"]).split() if len(w) >= 5})
    acronyms = sorted({a for row in rows for a in row["acronyms_en"].split(" | ") if a})
    kinds = [
        lambda: rng.choice(rows)["term_fr"],  # exact, as written: Chargé·e d’offre
        lambda: fold(rng.choice(rows)["term_fr"]),  # exact, plain keyboard: chargee d offre
        lambda: rng.choice(acronyms).lower() if acronyms else "ae",
        lambda: rng.choice(words)[: rng.randint(3, 5)],  # a prefix, as typed
        lambda: _typo(rng, rng.choice(words)),
        lambda: " ".join(fold(rng.choice(rows)["term_fr"]).split()[:2]),  # a phrase
        lambda: still_typing(rng, rng.choice(rows)["term_fr"]),  # vente comp
    ]
    queries = {"chargé·e de", "d’expansion", "taux de conversion", "revenu recurrent"}
    for _attempt in range(count * 20):  # bounded: small glossaries have fewer distinct queries
        if len(queries) >= count:
            break
        queries.add(rng.choice(kinds)())
    return sorted(queries, key=lambda _q: rng.random())


def still_typing(rng, term):
    """Two words, the second one still being typed (`vente comp`): what the suggestions
    send at every key press, and the costliest shape for a search engine."""
    words = fold(term).split()
    if len(words) < 2:
        return words[0][: rng.randint(2, max(2, len(words[0])))]
    second = words[1] if len(words[1]) > 2 or len(words) < 3 else words[2]
    return f"{words[0]} {second[: rng.randint(2, max(2, len(second) - 1))]}"


def typing_queries(rows, rng, count, excluded):
    """`count` distinct two-word queries whose second word is unfinished, none in `excluded`."""
    queries = set()
    for _attempt in range(count * 20):
        if len(queries) >= count:
            break
        query = still_typing(rng, rng.choice(rows)["term_fr"])
        if query not in excluded:
            queries.add(query)
    return sorted(queries, key=lambda _q: rng.random())


def _typo(rng, word):
    """One letter dropped, doubled or replaced, not the first (`onbording`)."""
    position = rng.randint(1, len(word) - 1)
    kind = rng.choice(["drop", "double", "replace"])
    if kind == "drop":
        return word[:position] + word[position + 1 :]
    if kind == "double":
        return word[:position] + word[position] + word[position:]
    return word[:position] + rng.choice("aeioursnt") + word[position + 1 :]


def domain_paths(rows):
    """The list of domains, then the first page of each domain's A–Z."""
    domains = sorted({d for row in rows for d in row["domains"].split(synthetic.SEPARATOR) if d})
    return ["/fr/domains/", *(f"/fr/domains/{domain}/" for domain in domains)]


def search_paths(queries):
    return [f"/fr/search/?q={urllib.parse.quote(q)}" for q in queries]


@dataclass
class Target:
    """A URL (or paths cycled through), the SPEC's bar for it, and how to load it."""

    name: str
    paths: list
    min_ratio: float | None = None  # of /healthz throughput
    min_static_ratio: float | None = None  # of a static file's throughput (WhiteNoise)
    max_p95_ms: float | None = None
    connections: int | None = None  # None: --connections
    # Every request a path nobody asked before: no smoke request and no warm-up (both
    # would cache the pages), and wrk's threads start at evenly spread places.
    fresh: bool = False
    # Among the pages loaded while an import rewrites every definition.
    under_import: bool = False
    # Request headers, as a browser sends them (the printable glossary is sent gzipped).
    headers: tuple = ()

    def describe(self):
        parts = []
        if self.min_ratio is not None:
            parts.append(f"≥ {self.min_ratio:.1f}×")
        if self.min_static_ratio is not None:
            parts.append(f"≥ {self.min_static_ratio:.1f}× static")
        if self.max_p95_ms is not None:
            parts.append(f"p95 < {self.max_p95_ms:.0f} ms")
        return ", ".join(parts) or "—"


STATIC_TARGET = "static file (WhiteNoise)"


def static_file_path():
    """The stylesheet every page links to, as WhiteNoise serves it (hashed name): a file of
    the size of a reader page, the physical limit a cached page is measured against."""
    manifest = app_dir / "staticfiles" / "staticfiles.json"
    with contextlib.suppress(OSError, ValueError, KeyError):
        return "/static/" + json.loads(manifest.read_text())["paths"]["css/glossary.css"]
    return "/static/css/glossary.css"


def targets(rows, seed, latency_connections, duration, bars):
    rng = random.Random(seed)
    terms = term_paths(rows, rng)
    # Enough new queries that the fresh run never comes back to one (a few hundred
    # searches a second at most), none of them among the repeated ones.
    queries = search_queries(rows, rng, count=SEARCH_QUERIES + duration * FRESH_QUERIES_PER_S)
    repeated, fresh = search_paths(queries[:SEARCH_QUERIES]), search_paths(queries[SEARCH_QUERIES:])
    domains = domain_paths(rows)
    return [
        Target("/healthz", ["/healthz"]),
        Target(STATIC_TARGET, [static_file_path()]),
        Target("/fr/", ["/fr/"]),
        Target(
            "/fr/letters/C/",
            ["/fr/letters/C/"],
            min_ratio=0.7,
            min_static_ratio=0.8,
            under_import=True,
        ),
        Target(
            f"/fr/terms/… ({len(terms)} slugs)",
            terms,
            min_ratio=0.7,
            min_static_ratio=0.8,
            under_import=True,
        ),
        Target(f"/fr/domains/… ({len(domains)} pages)", domains, min_ratio=0.7),
        Target("/fr/new/, /en/new/", ["/fr/new/", "/en/new/"], min_ratio=0.7),
        Target("/fr/feed/, /en/feed/", ["/fr/feed/", "/en/feed/"], min_ratio=0.7),
        Target(
            "/fr/print/ (gzip)",
            ["/fr/print/"],
            min_ratio=0.7,
            headers=(("Accept-Encoding", "gzip"),),
        ),
        # At 64 connections on a few workers, latency is mostly queueing (Little's law:
        # latency ≈ connections / throughput; /healthz itself shows it), so this run is
        # about throughput. The two runs below, one connection per worker, measure the
        # time the app takes to answer, which is what a p95 bar is about.
        Target(
            f"/fr/search/?q=… ({len(repeated)} queries)",
            repeated,
            min_ratio=0.5,
            under_import=True,
        ),
        Target(
            f"same searches, {latency_connections} connections",
            repeated,
            max_p95_ms=bars.search_p95_ms,
            connections=latency_connections,
        ),
        Target(
            f"new searches (never cached), {latency_connections} connections",
            fresh,
            max_p95_ms=bars.search_p95_ms,
            connections=latency_connections,
            fresh=True,
        ),
        Target(
            f"new searches still being typed (`vente comp`), {latency_connections} connections",
            search_paths(typing_queries(rows, rng, duration * FRESH_QUERIES_PER_S, set(queries))),
            max_p95_ms=bars.search_p95_ms,
            connections=latency_connections,
            fresh=True,
        ),
    ]


# -- gunicorn ----------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is reported as its own status, not followed


OPENER = urllib.request.build_opener(NoRedirect)


def fetch(url, timeout=30, headers=()):
    """(status, body bytes as sent) of one GET, redirects not followed."""
    try:
        with OPENER.open(
            urllib.request.Request(url, headers=dict(headers)), timeout=timeout
        ) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Server:
    """gunicorn started as `make run` starts it, logging to a file; stopped on exit."""

    def __init__(self, env, workdir, number=0):
        self.port = free_port()
        self.env = {**env, "PORT": str(self.port)}
        self.log = workdir / ("gunicorn.log" if number == 0 else f"gunicorn-{number + 1}.log")
        self.process = None

    @property
    def base(self):
        return f"http://{HOST}:{self.port}"

    def start(self, ready_timeout=60):
        command = [str(VENV_BIN / "gunicorn"), "--config", "gunicorn.conf.py", "glossary_site.wsgi"]
        with open(self.log, "w") as log:
            # Its own session: Ctrl+C reaches this script, which then stops gunicorn cleanly.
            self.process = subprocess.Popen(
                command,
                cwd=app_dir,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + ready_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BenchError(f"gunicorn exited at start:\n{tail(self.log)}")
            with contextlib.suppress(OSError):
                if fetch(self.base + "/healthz", timeout=2)[0] == 200:
                    return
            time.sleep(0.2)
        raise BenchError(f"/healthz did not answer within {ready_timeout} s:\n{tail(self.log)}")

    def worker_pids(self):
        """The master's children, read from /proc (they change when workers are recycled)."""
        if self.process is None:
            return []
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                # The parent pid is the 2nd field after the parenthesised command name.
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.process.pid:
                    pids.append(int(entry.name))
        return sorted(pids)

    def stop(self):
        """SIGTERM, as gunicorn expects for a graceful stop; SIGKILL only if it hangs."""
        if self.process is None or self.process.poll() is not None:
            return
        workers = self.worker_pids()
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)  # gunicorn's graceful_timeout is 30 s
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            for pid in workers:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)


def rss_mb(pid):
    """Resident memory of a process in MB, from /proc/<pid>/status (None if it is gone)."""
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return None


class MemoryWatch:
    """Samples every worker's RSS twice a second while the load runs; keeps the peak."""

    def __init__(self, servers):
        self.servers = servers
        self.peak = 0.0
        self.peak_pid = None
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        while not self.stopping.wait(0.5):
            for pid in (pid for server in self.servers for pid in server.worker_pids()):
                value = rss_mb(pid) or 0.0
                if value > self.peak:
                    self.peak, self.peak_pid = value, pid

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=5)


def log_statuses(server, start, end):
    """HTTP status counts in gunicorn's access log between two byte offsets."""
    with open(server.log, "rb") as log:
        log.seek(start)
        chunk = log.read(end - start).decode("utf-8", "replace")
    counts = {}
    for status in re.findall(r'HTTP/1\.[01]" (\d{3}) ', chunk):
        counts[status] = counts.get(status, 0) + 1
    return counts


def log_problems(servers):
    """What looks wrong in gunicorn's logs: server errors, locks, tracebacks, timeouts."""
    text = "".join(server.log.read_text(errors="replace") for server in servers)
    return {
        "database is locked": text.count("database is locked"),
        "Traceback": text.count("Traceback"),
        "WORKER TIMEOUT": text.count("WORKER TIMEOUT"),
        "worker boots": text.count("Booting worker"),
    }


# -- wrk ---------------------------------------------------------------------------------------


@dataclass
class Load:
    """One wrk run's figures (latencies in ms)."""

    requests_per_s: float = 0.0
    p50: float = 0.0
    p90: float = 0.0
    p95: float = 0.0
    p99: float = 0.0
    requests: int = 0
    non_2xx_3xx: int = 0
    socket_errors: int = 0
    statuses: dict = field(default_factory=dict)  # from gunicorn's access log
    smoke: dict = field(default_factory=dict)  # statuses of one request per path, before
    mean_kb: float = 0.0
    slowest: list = field(default_factory=list)  # [(ms, path)] of those requests

    @property
    def errors(self):
        return self.non_2xx_3xx + self.socket_errors


def file_name(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def wrk_command(args, url, duration, connections=None, headers=(), threads=None):
    return [
        "wrk",
        f"--threads={threads or args.threads}",
        f"--connections={connections or args.connections}",
        f"--duration={duration}s",
        "--timeout=10s",  # a request slower than this counts as a socket timeout error
        "--latency",
        f"--script={WRK_SCRIPT}",
        *(f"--header={name}: {value}" for name, value in headers),
        url,
    ]


def parse_wrk(output):
    """Figures from wrk's report and from the `BENCH` lines of cycle.lua's done()."""
    match = re.search(r"Requests/sec:\s+([\d.]+)", output)
    latency = re.search(r"BENCH latency_us (.*)", output)
    counts = re.search(r"BENCH counts (.*)", output)
    if not (match and latency and counts):
        raise BenchError(f"unexpected wrk output:\n{output}")
    load = Load(requests_per_s=float(match.group(1)))
    percentiles = dict(pair.split("=") for pair in latency.group(1).split())
    for name in ("p50", "p90", "p95", "p99"):
        setattr(load, name, int(percentiles[name]) / 1000)
    counts = dict(pair.split("=") for pair in counts.group(1).split())
    load.requests = int(counts["requests"])
    load.non_2xx_3xx = int(counts["status"])
    load.socket_errors = sum(int(counts[k]) for k in ("connect", "read", "write", "timeout"))
    # wrk's own line, printed only when there are some; the Lua counter should agree.
    match = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if match:
        load.non_2xx_3xx = max(load.non_2xx_3xx, int(match.group(1)))
    return load


def run_wrk(args, servers, workdir, target, duration):
    """One bounded wrk run over the target's paths per server, all at once, the connections
    shared between them; the reports are kept in the work directory. Their outputs."""
    paths_file = workdir / f"paths-{file_name(target.name)}"
    paths_file.write_text("\n".join(target.paths) + "\n")
    connections = max(1, (target.connections or args.connections) // len(servers))
    threads = min(args.threads, connections)
    runs = [
        subprocess.Popen(
            wrk_command(args, server.base + "/", duration, connections, target.headers, threads),
            env={
                **os.environ,
                "BENCH_PATHS": str(paths_file),
                "BENCH_THREAD_SPACING": str(len(target.paths) // threads if target.fresh else 37),
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for server in servers
    ]
    outputs = []
    for number, run in enumerate(runs):
        try:
            stdout, stderr = run.communicate(timeout=duration + 60)
        except subprocess.TimeoutExpired:
            run.kill()
            stdout, stderr = run.communicate()
        suffix = "" if number == 0 else f"-{number + 1}"
        (workdir / f"wrk-{file_name(target.name)}{suffix}.txt").write_text(stdout + stderr)
        if run.returncode != 0:
            raise BenchError(f"wrk failed: {stderr or stdout}")
        outputs.append(stdout)
    return outputs


def combined(loads):
    """One server's figures, or several servers' together: their throughputs add up; the
    latency percentiles are the worst server's (a reader meets the slowest one too)."""
    if len(loads) == 1:
        return loads[0]
    total = Load(requests_per_s=sum(load.requests_per_s for load in loads))
    for name in ("p50", "p90", "p95", "p99"):
        setattr(total, name, max(getattr(load, name) for load in loads))
    total.requests = sum(load.requests for load in loads)
    total.non_2xx_3xx = sum(load.non_2xx_3xx for load in loads)
    total.socket_errors = sum(load.socket_errors for load in loads)
    return total


def smoke(server, target, load):
    """One request per path, before any load: statuses, sizes and the slowest paths.

    A redirect or an error page would flatter the figures; the slowest paths (measured
    cold, one at a time) say which terms or queries make the tail of the latency.
    """
    timings, sizes = [], []
    for path in target.paths:
        start = time.perf_counter()
        status, body = fetch(server.base + path, headers=target.headers)
        timings.append(((time.perf_counter() - start) * 1000, path))
        load.smoke[str(status)] = load.smoke.get(str(status), 0) + 1
        sizes.append(len(body))
    load.mean_kb = sum(sizes) / len(sizes) / 1024
    load.slowest = sorted(timings, reverse=True)[:SLOWEST_SHOWN]


def drain(servers):
    """Wait until gunicorn has answered what wrk left queued when it stopped.

    wrk stops on time, but requests it already sent wait in the listen backlog and the
    sync workers still answer them; the next run would start behind that queue. A
    /healthz sent now is answered after them.
    """
    for server in servers:
        fetch(server.base + "/healthz", timeout=120)


def measure(args, servers, workdir, target):
    before = Load()
    if not target.fresh:
        # On the first server only: with several, the others find the pages in the cache
        # they share, as they would in production.
        smoke(servers[0], target, before)
        if args.warmup:
            run_wrk(args, servers, workdir, target, args.warmup)
            drain(servers)
    offsets = [server.log.stat().st_size for server in servers]
    load = combined(
        [parse_wrk(output) for output in run_wrk(args, servers, workdir, target, args.duration)]
    )
    drain(servers)
    time.sleep(0.5)  # let the workers write their last access-log lines
    load.statuses = {}
    for server, offset in zip(servers, offsets, strict=True):
        for status, count in log_statuses(server, offset, server.log.stat().st_size).items():
            load.statuses[status] = load.statuses.get(status, 0) + count
    load.smoke, load.mean_kb, load.slowest = before.smoke, before.mean_kb, before.slowest
    return load


# -- the import under load -----------------------------------------------------------------------

REVISION_MARK = " Révisé pour le banc d’essai."


@dataclass
class ImportUnderLoad:
    timed: Timed
    load: Load
    lost: list  # slugs whose definition the final export does not show as imported


def import_under_load(args, env, server, workdir, rows, mixed_paths):
    """Load the site while an import rewrites every definition; then check nothing was lost."""
    revised = [{**row, "definition_fr": row["definition_fr"] + REVISION_MARK} for row in rows]
    revised_csv = workdir / "revised.csv"
    synthetic.write_csv(revised, revised_csv)
    paths_file = workdir / "paths-mixed"
    paths_file.write_text("\n".join(mixed_paths) + "\n")
    offset = server.log.stat().st_size
    # wrk runs until the import ends (bounded all the same): SIGINT makes it stop and report.
    wrk = subprocess.Popen(
        wrk_command(args, server.base + "/", args.import_timeout + 60),
        env={**os.environ, "BENCH_PATHS": str(paths_file)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        time.sleep(1)
        timed = manage(
            env, workdir, "import-under-load", "import_glossary", str(revised_csv),
            timeout=args.import_timeout,
        )  # fmt: skip
    finally:
        wrk.send_signal(signal.SIGINT)
        output, _ = wrk.communicate(timeout=60)
    (workdir / "wrk-import-under-load.txt").write_text(output)
    load = parse_wrk(output)
    time.sleep(0.5)
    load.statuses = log_statuses(server, offset, server.log.stat().st_size)
    return ImportUnderLoad(timed, load, check_export(env, workdir, revised))


def check_export(env, workdir, expected_rows):
    """Slugs whose exported definition differs from the file imported (empty: nothing lost)."""
    out = workdir / "after-import.csv"
    timed = manage(env, workdir, "export-after", "export_glossary", "--format", "csv",
                   "--output", str(out))  # fmt: skip
    if not timed.ok:
        return [f"export failed: {timed.describe()}"]
    with open(out, encoding="utf-8-sig", newline="") as file:
        exported = {row["slug"]: row["definition_fr"] for row in csv.DictReader(file)}
    return [
        row["slug"]
        for row in expected_rows
        if " ".join(exported.get(row["slug"], "").split()) != " ".join(row["definition_fr"].split())
    ]


# -- the import and exports ------------------------------------------------------------------------


@dataclass
class Imported:
    """The timed import of the whole file, and what was served in the end."""

    dry_run: Timed
    confirm: Timed | None  # None: not run, the dry run already failed
    fallback: Timed | None  # the smaller import served when the whole file could not be
    served: list  # the rows in the database
    generated: int  # concepts in the file imported


def subset(rows, count):
    """The first `count` rows, see-also links to the rows left out dropped."""
    kept = rows[:count]
    slugs = {row["slug"] for row in kept}
    return [
        {
            **row,
            "see_also": synthetic.SEPARATOR.join(
                s for s in row["see_also"].split(synthetic.SEPARATOR) if s in slugs
            ),
        }
        for row in kept
    ]


def time_import(args, env, workdir, rows, data):
    say("Import (dry run, then confirm):")
    dry_run = manage(
        env, workdir, "import-dry-run", "import_glossary", str(data), "--dry-run",
        timeout=args.import_timeout,
    )  # fmt: skip
    say(f"  --dry-run: {dry_run.describe()}  (new, changed, unchanged): {import_counts(dry_run)}")
    confirm = None
    if dry_run.ok:  # the confirm does what the dry run does, and writes: it cannot be faster
        confirm = manage(
            env, workdir, "import", "import_glossary", str(data), timeout=args.import_timeout
        )
        say(f"  confirm:   {confirm.describe()}  (new, changed, unchanged): "
            f"{import_counts(confirm)}")  # fmt: skip
    if confirm and confirm.ok:
        say(
            f"  both:      {dry_run.seconds + confirm.seconds:.2f} s "
            f"(target < {Bars.at(len(rows)).import_s:.0f} s)"
        )
        return Imported(dry_run, confirm, None, rows, len(rows))
    failed = confirm or dry_run
    if failed.returncode is not None or not args.fallback_concepts:
        raise BenchError(f"the import {failed.describe()}:\n{tail(failed.log)}")
    # Too slow, not wrong: serve a smaller glossary so that the pages are measured anyway.
    served = subset(rows, args.fallback_concepts)
    smaller = workdir / f"glossary-{len(served)}.csv"
    synthetic.write_csv(served, smaller)
    say(f"  the import was stopped: importing the first {len(served):,} concepts to serve them")
    fallback = manage(
        env, workdir, "import-fallback", "import_glossary", str(smaller),
        timeout=args.import_timeout,
    )  # fmt: skip
    say(f"  fallback:  {fallback.describe()}")
    if not fallback.ok:
        raise BenchError(f"the fallback import {fallback.describe()}:\n{tail(fallback.log)}")
    return Imported(dry_run, confirm, fallback, served, len(rows))


def time_exports(env, workdir):
    exports = []
    for file_format in ("csv", "xlsx"):
        out = workdir / f"export.{file_format}"
        timed = manage(env, workdir, f"export {file_format}", "export_glossary", "--format",
                       file_format, "--output", str(out), timeout=300)  # fmt: skip
        say(f"  export {file_format}: {timed.describe()}")
        exports.append(timed)
    return exports


# -- the report -----------------------------------------------------------------------------------


def verdict(passed):
    return "PASS" if passed else "FAIL"


def load_table(results, healthz):
    lines = [
        "| URL | conn. | req/s | p50 ms | p95 ms | p99 ms | × /healthz | × static | KB | errors "
        "| target | result |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    static = next((load for t, load, _c in results if t.name == STATIC_TARGET), None)
    for target, load, connections in results:
        ratio = load.requests_per_s / healthz.requests_per_s if healthz.requests_per_s else 0
        static_ratio = (
            load.requests_per_s / static.requests_per_s if static and static.requests_per_s else 0
        )
        passed = load.errors == 0
        if target.min_ratio is not None:
            passed = passed and ratio >= target.min_ratio
        if target.min_static_ratio is not None:
            passed = passed and static_ratio >= target.min_static_ratio
        if target.max_p95_ms is not None:
            passed = passed and load.p95 < target.max_p95_ms
        has_bar = target.min_ratio is not None or target.max_p95_ms is not None
        lines.append(
            f"| `{target.name}` | {connections} | {load.requests_per_s:,.0f} | {load.p50:.1f} "
            f"| {load.p95:.1f} | {load.p99:.1f} | {ratio:.2f} "
            f"| {f'{static_ratio:.2f}' if static else '—'} "
            f"| {f'{load.mean_kb:.1f}' if load.mean_kb else '—'} "
            f"| {load.errors} | {target.describe()} "
            f"| {verdict(passed) if has_bar or load.errors else '—'} |"
        )
    return lines


def status_lines(results):
    """Statuses other than 200, before and during the load: the table alone would hide them."""
    lines = []
    for target, load, _connections in results:
        if (load.smoke and set(load.smoke) != {"200"}) or set(load.statuses) - {"200"}:
            lines.append(
                f"- `{target.name}`: statuses before the load {load.smoke}, "
                f"during it {load.statuses}"
            )
    return [*lines, ""] if lines else []


def slowest_lines(results):
    """The slowest paths of the targets that cycle through many, measured one at a time."""
    lines, seen = [], set()
    for target, load, _connections in results:
        if len(target.paths) < 2 or not load.slowest or tuple(target.paths) in seen:
            continue
        seen.add(tuple(target.paths))
        paths = ", ".join(
            f"`{urllib.parse.unquote(path)}` {ms:.0f} ms" for ms, path in load.slowest
        )
        lines.append(f"- slowest of `{target.name}`, one request each before the load: {paths}")
    return [*lines, ""] if lines else []


def timing_lines(imported, exports, bars):
    dry_run, confirm = imported.dry_run, imported.confirm
    if confirm is None:
        confirm_text, both = "not run (the dry run did not finish)", "—"
    else:
        confirm_text, both = confirm.describe(), f"{dry_run.seconds + confirm.seconds:.2f} s"
    both_ok = dry_run.ok and confirm is not None and confirm.ok
    total = dry_run.seconds + (confirm.seconds if confirm else 0)
    # A fallback serves fewer concepts than the file held: the import is judged by the file.
    import_bar = Bars.at(imported.generated).import_s
    export_bar = bars.export_s
    lines = [
        "| step | time | target | result |",
        "| --- | ---: | --- | --- |",
        f"| import --dry-run | {dry_run.describe()} | | |",
        f"| import (confirm) | {confirm_text} | | |",
        f"| import, both | {both} | < {import_bar:.0f} s "
        f"| {verdict(both_ok and total < import_bar)} |",
    ]
    if imported.fallback:
        lines.append(
            f"| import of the first {len(imported.served):,} (served instead) "
            f"| {imported.fallback.describe()} | | |"
        )
    for timed in exports:
        if export_bar is None:
            bar, result = "—", "—"
        else:
            bar, result = f"< {export_bar:.0f} s", verdict(timed.ok and timed.seconds < export_bar)
        lines.append(
            f"| {timed.name} ({len(imported.served):,} concepts) | {timed.describe()} "
            f"| {bar} | {result} |"
        )
    return lines


def memory_lines(after, watch, bars):
    values = ", ".join(f"{mb:.0f}" for mb in after) or "none"
    worst = max([*after, watch.peak], default=0)
    return [
        f"- gunicorn workers' RSS after the load: {values} MB; peak sampled during the load: "
        f"{watch.peak:.0f} MB — target < {bars.rss_mb:.0f} MB: {verdict(worst < bars.rss_mb)}"
    ]


def under_load_lines(result):
    if result is None:
        return []
    load = result.load
    five_xx = sum(n for status, n in load.statuses.items() if status.startswith("5"))
    passed = result.timed.ok and not result.lost and load.errors == 0 and five_xx == 0
    lost = f"{len(result.lost)} (e.g. {', '.join(result.lost[:5])})" if result.lost else "0"
    return [
        f"- import of the same concepts with every French definition changed, while wrk loads "
        f"the letter, term and search pages: import {result.timed.describe()}; during it "
        f"{load.requests_per_s:,.0f} req/s, p95 {load.p95:.1f} ms, p99 {load.p99:.1f} ms, "
        f"statuses {load.statuses}, socket errors {load.socket_errors}; definitions lost or "
        f"not updated: {lost} — {verdict(passed)}"
    ]


def machine():
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError, IndexError, ValueError):
        kb = int(Path("/proc/meminfo").read_text().split("MemTotal:")[1].split()[0])
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    return f"nproc {os.cpu_count()}, {cpu}, {memory} RAM, Python {platform.python_version()}"


def cpu_busy(seconds=3.0):
    """Share of the machine's CPU time that was not idle over a few seconds (/proc/stat).

    Taken before gunicorn starts, it says how busy other processes kept the machine:
    figures from a busy machine are lower and noisier.
    """

    def sample():
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        return values[3] + values[4], sum(values)  # idle + iowait, total

    with contextlib.suppress(OSError, ValueError, IndexError):
        idle_before, total_before = sample()
        time.sleep(seconds)
        idle_after, total_after = sample()
        total = total_after - total_before
        return 100.0 * (1 - (idle_after - idle_before) / total) if total else 0.0
    return float("nan")


def git(*args):
    return subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    ).stdout.strip()


def snapshot(commit, workdir):
    """The app as committed at `commit`, extracted into the work directory."""
    target = workdir / "app"
    target.mkdir()
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit], cwd=ROOT, capture_output=True, timeout=120
    )
    if archive.returncode != 0:
        raise BenchError(f"git archive {commit}: {archive.stderr.decode(errors='replace')}")
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True, timeout=120)
    return target


def git_commit(commit=None):
    if commit:
        return f"{git('rev-parse', '--short', commit)} (snapshot of the commit, --commit)"
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    # bench/ itself is left out: the benchmark's own files do not change what is measured.
    changes = git("status", "--porcelain", "--", ".", ":(exclude)bench")
    if changes:
        return f"{commit} (dirty: {len(changes.splitlines())} changed paths outside bench/)"
    return commit


def report(args, header_facts, sections):
    text = "\n".join(
        [*header_facts, "", *(line for section in sections for line in section)]
    ).rstrip()
    say("\n" + text + "\n")
    if not args.no_log:
        with open(RESULTS_FILE, "a", encoding="utf-8") as results:
            results.write("\n" + text + "\n")
        say(f"Appended to {RESULTS_FILE.relative_to(ROOT)}")


# -- the setup: database, cache, servers ---------------------------------------------------------

POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql")


@contextlib.contextmanager
def throwaway_database(url, keep=False):
    """A new, empty database on the PostgreSQL server `url` names, dropped at the end (kept
    with --keep): its URL, or None to use the default throwaway SQLite database."""
    if not url:
        yield None
        return
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in POSTGRES_SCHEMES:
        raise BenchError(f"--database-url: a PostgreSQL URL is expected, not {parts.scheme}://")
    try:
        import psycopg
    except ImportError as error:
        raise BenchError("--database-url needs psycopg: run `make install` first") from error
    name = f"glossary_bench_{os.getpid()}"
    maintenance = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error as error:
        raise BenchError(f"cannot create a database on {parts.netloc}: {error}") from error
    say(f"  throwaway database {name} on {parts.hostname}:{parts.port or 5432}")
    try:
        yield parts._replace(path=f"/{name}").geturl()
    finally:
        if not keep:
            with psycopg.connect(maintenance, autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def settle(database_url):
    """PostgreSQL writes back the pages an import dirtied (45 MB of documents for 10,000
    long definitions) for minutes after it, and searches loaded meanwhile measured that
    (p99 of 87–116 ms): a checkpoint first, so the load measures the glossary as readers
    meet it once the import is over. The load during an import is measured on its own."""
    if not database_url:
        return
    import psycopg

    started = time.monotonic()
    try:
        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute("CHECKPOINT")
    except psycopg.Error as error:  # a role without the right: measured as it is
        say(f"  no checkpoint before the load ({str(error).strip()})")
        return
    say(f"  checkpoint before the load: {time.monotonic() - started:.1f} s")


def setup_line(args):
    database = "PostgreSQL (throwaway database)" if args.database_url else "SQLite (WAL)"
    cache = "Redis" if args.redis_url else "the folder cache"
    servers = f"{args.servers} gunicorn servers" if args.servers > 1 else "one gunicorn server"
    skipped = f"; rows left out (--skip): {', '.join(args.skip)}" if args.skip else ""
    return f"{database}, {cache}, {servers}; synthetic data shape `{args.shape}`{skipped}"


EDITOR = "bench-editor"


@dataclass
class Propagation:
    """An edit made through one server and read on every server at once, both ways."""

    slug: str
    seen: list = field(default_factory=list)  # [(action, server number, status, expected)]
    problem: str = ""

    @property
    def ok(self):
        return not self.problem and all(
            status == expected for _a, _n, status, expected in self.seen
        )


def check_propagation(env, workdir, servers, results):
    """Make a cached term page's concept a draft through the first server's admin, then ask
    every server for the page (a 404 at once, or a server served a stale page); publish it
    again through the last server and ask again (a 200 everywhere)."""
    path = next(t for t, _load, _c in results if t.name.startswith("/fr/terms/")).paths[0]
    slug = path.rstrip("/").rsplit("/", 1)[1]
    propagation = Propagation(slug)
    password = "bench-" + "password-" * 3
    created = manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": password},
        workdir, "createsuperuser", "createsuperuser", "--no-input",
        f"--username={EDITOR}", "--email=bench@example.com",
    )  # fmt: skip
    lookup = f"from terms.models import Concept; print(Concept.objects.get(slug={slug!r}).pk)"
    found = manage(env, workdir, "concept-id", "shell", "-c", lookup)
    if not (created.ok and found.ok):
        propagation.problem = f"could not prepare the edit: {tail(created.log)} {tail(found.log)}"
        return propagation
    concept_id = found.output().strip().splitlines()[-1]
    for action, through, expected in (
        ("unpublish", servers[0], 404),
        ("publish", servers[-1], 200),
    ):
        try:
            admin_action(through.base, password, action, concept_id)
        except (OSError, BenchError) as error:
            propagation.problem = f"{action} through {through.base}: {error}"
            return propagation
        for number, server in enumerate(servers, start=1):
            propagation.seen.append((action, number, fetch(server.base + path)[0], expected))
    return propagation


def admin_action(base, password, action, concept_id):
    """Sign in to the admin of the server at `base` and run a changelist action, as an
    editor's browser does (cookies, CSRF token)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def token():
        return next((c.value for c in jar if c.name == "csrftoken"), "")

    def post(path, data):
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token()}).encode()
        request = urllib.request.Request(base + path, data=body, headers={"Referer": base + path})
        with opener.open(request, timeout=60) as response:
            return response.status, response.geturl()

    opener.open(base + "/admin/login/", timeout=30).read()
    _status, landed = post(
        "/admin/login/?next=/admin/", {"username": EDITOR, "password": password, "next": "/admin/"}
    )
    if "/login/" in landed:
        raise BenchError("the admin refused the benchmark's editor")
    opener.open(base + "/admin/terms/concept/", timeout=60).read()
    post(
        "/admin/terms/concept/",
        {"action": action, "select_across": "0", "index": "0", "_selected_action": concept_id},
    )


def propagation_lines(propagation):
    if propagation is None:
        return []
    if propagation.problem:
        return [f"- an edit through one server, read on the others: FAIL ({propagation.problem})"]
    statuses = ", ".join(
        f"{action} → server {number}: {status}" for action, number, status, _e in propagation.seen
    )
    return [
        f"- an edit through one server (`{propagation.slug}` made a draft through the first, "
        f"published again through the last), read on every server at once: {statuses} — "
        f"{verdict(propagation.ok)}"
    ]


# -- the run -------------------------------------------------------------------------------------


def prepare(args, env, workdir):
    """A migrated database and the synthetic CSV."""
    timed = manage(env, workdir, "migrate", "migrate", "--no-input", timeout=300)
    if not timed.ok:
        raise BenchError(f"migrate {timed.describe()}:\n{tail(timed.log)}")
    rows = synthetic.generate(args.concepts, seed=args.seed, shape=args.shape)
    data = workdir / f"glossary-{args.concepts}.csv"
    synthetic.write_csv(rows, data)
    say(f"  {len(rows):,} concepts written to {data.name} ({data.stat().st_size / 1e6:.1f} MB)")
    return rows, data


def collect_static(env, workdir):
    # Into the app's STATIC_ROOT, as `make run` does: the pages need the manifest.
    # Done just before serving, so that static files added meanwhile are in it.
    timed = manage(env, workdir, "collectstatic", "collectstatic", "--no-input", timeout=300)
    if not timed.ok:
        raise BenchError(f"collectstatic {timed.describe()}:\n{tail(timed.log)}")


def load_all(args, servers, workdir, rows, bars):
    """Every target in turn, with worker memory watched; (target, load, connections) each."""
    workers = sum(len(server.worker_pids()) for server in servers)
    results = []
    with MemoryWatch(servers) as watch:
        latency_connections = args.latency_connections or workers
        for target in targets(rows, args.seed, latency_connections, args.duration, bars):
            if target.name.startswith(tuple(args.skip)):
                say(f"  skip {target.name} (--skip)")
                continue
            say(f"  load {target.name} ...")
            load = measure(args, servers, workdir, target)
            say(
                f"    {load.requests_per_s:,.0f} req/s, p50 {load.p50:.1f} ms, "
                f"p95 {load.p95:.1f} ms, errors {load.errors}, statuses {load.statuses}"
            )
            results.append((target, load, target.connections or args.connections))
    after = [rss_mb(pid) or 0.0 for server in servers for pid in server.worker_pids()]
    return results, after, watch


def run(args, workdir, database_url=None):
    global app_dir
    env = bench_env(workdir, args.workers, database_url, args.redis_url)
    say(f"Working in {workdir}")
    # Read now: the working tree, or what HEAD names, may change while the benchmark runs.
    revision = None
    if args.commit:
        revision = git("rev-parse", "--verify", "--quiet", args.commit + "^{commit}")
        if not revision:
            raise BenchError(f"unknown commit {args.commit!r}")
        app_dir = snapshot(revision, workdir)
    commit = git_commit(revision)
    say(f"  measuring {commit} from {app_dir}")
    rows, data = prepare(args, env, workdir)
    imported = time_import(args, env, workdir, rows, data)
    exports = time_exports(env, workdir)
    collect_static(env, workdir)
    settle(database_url)
    busy = cpu_busy()
    say(f"  CPU busy before the load (other processes): {busy:.0f} %")

    # The intranet page the embedding script is measured on is served from this port: its
    # origin must be listed before gunicorn starts.
    intranet_port = free_port()
    env["GLOSSARY_EMBED_ORIGINS"] = f"http://{HOST}:{intranet_port}"
    servers = [Server(env, workdir, number) for number in range(args.servers)]
    propagation = None
    try:
        for server in servers:
            server.start()
        workers = sum(len(server.worker_pids()) for server in servers)
        for server in servers:
            workers_here = len(server.worker_pids())
            say(f"gunicorn: {workers_here} workers on {server.base} (log: {server.log})")
        bars = Bars.at(len(imported.served))
        results, after, watch = load_all(args, servers, workdir, imported.served, bars)
        if len(servers) > 1:
            say("  an edit through one server, read on every other ...")
            propagation = check_propagation(env, workdir, servers, results)
            say(f"    {propagation_lines(propagation)[0]}")
        say("  the embedding script in Chromium ...")
        embedded = embed_page.measure(servers[0].base, imported.served, intranet_port)
        say(f"    {embed_page.lines(embedded, judged=bars.embedding)[0][2:]}")
        under_load = None
        if not args.no_import_under_load:
            say("  load while an import rewrites every definition ...")
            mixed = [
                p for target, _load, _c in results if target.under_import for p in target.paths
            ]
            under_load = import_under_load(args, env, servers[0], workdir, imported.served, mixed)
            say(f"    {under_load_lines(under_load)[0]}")
        problems = log_problems(servers)
    finally:
        for server in servers:
            server.stop()

    served = len(imported.served)
    size = f"{len(rows):,} concepts"
    if served != len(rows):
        size += f" generated, pages measured at {served:,} (the full import did not finish)"
    header = [
        f"## {datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z} — {size}",
        "",
        f"- machine: {machine()}",
        f"- commit: {commit}",
        f"- setup: {setup_line(args)}",
        f"- load: wrk {args.threads} threads, {args.duration} s per URL after {args.warmup} s "
        f"of warm-up, on the same machine as the {workers} gunicorn workers; CPU already busy "
        f"with other processes just before: {busy:.0f} %",
    ]
    sections = [
        load_table(results, results[0][1]),
        [""],
        status_lines(results),
        slowest_lines(results),
        timing_lines(imported, exports, bars),
        [""],
        memory_lines(after, watch, bars),
        embed_page.lines(embedded, judged=bars.embedding),
        under_load_lines(under_load),
        propagation_lines(propagation),
        [f"- gunicorn log: {problems}"],
    ]
    report(args, header, sections)


def main(argv=None):
    args = parse_args(argv)
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get update && apt-get install -y wrk")
    if not (VENV_BIN / "gunicorn").exists():
        sys.exit("The virtualenv is missing: run `make install-test` first.")
    workdir = Path(tempfile.mkdtemp(prefix="glossary-bench-"))
    keep = args.keep
    try:
        with throwaway_database(args.database_url, keep) as database_url:
            run(args, workdir, database_url)
    except BenchError as error:
        keep = True  # its logs say what went wrong
        sys.exit(f"\nBenchmark stopped: {error}\n(logs kept in {workdir})")
    except KeyboardInterrupt:
        keep = True
        sys.exit(f"\nInterrupted (logs kept in {workdir})")
    finally:
        if keep:
            say(f"Kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
