"""Background imports across processes, for tests/test_background_worker.py: a database of
their own, jobs made and read by short-lived processes, and task workers — one of them
paused inside the import's write transaction, to be killed there.

    python -m tests.jobs_site enqueue FILE STEP   # prints the new job's id
    python -m tests.jobs_site show JOB            # prints the job, the concepts, the lock
    python -m tests.jobs_site retry JOB
    python -m tests.jobs_site worker [MARKER]     # with MARKER: pauses while writing
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def site_env(tmp_path, database_url):
    """The production settings on a database of the test's own."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GLOSSARY_", "DATABASE_", "REDIS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="glossary_site.settings",
        DJANGO_SECRET_KEY="jobs-test-" + "x" * 40,
        GLOSSARY_SQLITE_PATH=str(tmp_path / "glossary.sqlite3"),
        GLOSSARY_CACHE_DIR=str(tmp_path / "cache"),
        PYTHONUNBUFFERED="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def run(env, *args, timeout=120):
    """`python -m tests.jobs_site ARGS…` (or `manage.py ARGS…`), its output."""
    command = ["manage.py", *args[1:]] if args[0] == "manage" else ["-m", "tests.jobs_site", *args]
    return subprocess.run(
        [sys.executable, *command],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=timeout,
    ).stdout


def start_worker(env, marker=None):
    return subprocess.Popen(
        [sys.executable, "-m", "tests.jobs_site", "worker", *([str(marker)] if marker else [])],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def show(env, job_id):
    return json.loads(run(env, "show", str(job_id)))


def wait_for(env, job_id, condition, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        job = show(env, job_id)
        if condition(job):
            return job
        if time.monotonic() > deadline:
            raise AssertionError(f"The job never got there: {job}")
        time.sleep(0.3)


# -- in the subprocess ----------------------------------------------------------------


def enqueue(path, step):
    from django.contrib.auth.models import User

    from terms import background
    from terms.models import ImportJob

    user, _created = User.objects.get_or_create(username="edith", defaults={"is_staff": True})
    path = Path(path)
    job = ImportJob.objects.create(
        user=user, language="fr", file_name=path.name, data=path.read_bytes(), step=step
    )
    background.retry(job)  # queues it as it is
    print(job.pk)


def show_job(job_id):
    from terms import background
    from terms.models import Concept, ImportJob, ImportLock

    job = background.check_alive(ImportJob.objects.get(pk=job_id))
    fields = ("state", "step", "stage", "rows", "rows_read", "rows_validated", "rows_written")
    print(
        json.dumps(
            {
                **{name: getattr(job, name) for name in fields},
                "error": job.error,
                "report": job.report,
                "concepts": Concept.objects.count(),
                "locks": ImportLock.objects.count(),
            }
        )
    )


def worker(marker=None):
    from django.core.management import call_command

    from terms import writer

    if marker:
        write_links = writer._write_links

        def paused(*args, **kwargs):
            # The concepts and their texts are written, uncommitted: say so, and wait here
            # for the test to kill this process.
            write_links(*args, **kwargs)
            Path(marker).write_text(str(os.getpid()))
            time.sleep(3600)

        writer._write_links = paused
    call_command("run_worker", interval=0.1, verbosity=0)


def main(argv):
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    action, *args = argv
    if action == "enqueue":
        enqueue(*args)
    elif action == "show":
        show_job(int(args[0]))
    elif action == "retry":
        from terms import background
        from terms.models import ImportJob

        background.retry(ImportJob.objects.get(pk=int(args[0])))
    elif action == "worker":
        worker(*args)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
