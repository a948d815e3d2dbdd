"""Background imports run by a real task worker process (`manage.py run_worker`), on the
database queue and on Redis's (RQ, as with REDIS_URL), on SQLite, or on PostgreSQL when
DATABASE_URL names it: an import completes with its progress, and a worker killed inside the
write transaction leaves the glossary as it was, the job failed with a sentence, and the
import able to run again."""

import os
import signal

import pytest

from tests.jobs_site import run, show, site_env, start_worker, wait_for
from tests.servers import own_database

pytestmark = pytest.mark.slow

ROWS = 300


@pytest.fixture(params=["database", "redis"])
def site(request, tmp_path):
    with own_database() as database_url:
        env = site_env(tmp_path, database_url)
        if request.param == "redis":
            # RQ: the worker forks a process of its own for each task.
            env.update(
                REDIS_URL=request.getfixturevalue("redis_url"), GLOSSARY_TASKS_BACKEND="redis"
            )
        run(env, "manage", "migrate", "--no-input")
        yield env


@pytest.fixture
def big_file(tmp_path):
    path = tmp_path / "gros.csv"
    lines = "".join(f"terme-{n},Terme {n},Définition du terme {n}.\n" for n in range(ROWS))
    path.write_text(f"slug,term_fr,definition_fr\n{lines}")
    return path


def stop(worker):
    worker.send_signal(signal.SIGTERM)
    worker.wait(timeout=30)


def test_a_worker_process_previews_then_imports_with_its_progress(site, big_file):
    job_id = int(run(site, "enqueue", str(big_file), "preview"))
    assert show(site, job_id)["state"] == "queued"
    worker = start_worker(site)
    try:
        job = wait_for(site, job_id, lambda job: job["state"] == "done")
        assert (job["rows"], job["rows_read"], job["rows_validated"]) == (ROWS, ROWS, ROWS)
        assert job["concepts"] == 0  # a preview writes nothing

        run(site, "enqueue", str(big_file), "import")
        job = wait_for(site, job_id + 1, lambda job: job["state"] == "done")
    finally:
        stop(worker)
    assert job["report"]["new"] == ROWS and not job["report"]["problems"]
    assert (job["rows_written"], job["concepts"], job["locks"]) == (ROWS, ROWS, 0)


def test_a_worker_killed_while_writing_leaves_no_half_written_glossary(site, big_file, tmp_path):
    marker = tmp_path / "writing"
    job_id = int(run(site, "enqueue", str(big_file), "import"))
    worker = start_worker(site, marker)
    try:
        wait_for(site, job_id, lambda job: marker.exists(), timeout=60)
        # Inside the transaction: the concepts are written there but nobody else sees
        # them, while the job's progress, written outside it, says where it is.
        job = show(site, job_id)
        assert (job["state"], job["stage"], job["concepts"]) == ("running", "writing", 0)
        assert job["locks"] == 1
        # The process running the import: the worker itself on the database queue, the
        # process RQ forked for the task on Redis's; then the worker, in case they differ.
        os.kill(int(marker.read_text()), signal.SIGKILL)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()

    job = show(site, job_id)
    assert job["state"] == "failed"
    assert "Rien n’a été écrit : le glossaire est tel qu’il était." in job["error"]
    assert (job["concepts"], job["locks"]) == (0, 0)

    # Run again by a new worker, the same file comes in whole.
    run(site, "retry", str(job_id))
    worker = start_worker(site)
    try:
        job = wait_for(site, job_id, lambda job: job["state"] == "done")
    finally:
        stop(worker)
    assert (job["concepts"], job["locks"], job["report"]["new"]) == (ROWS, 0, ROWS)
