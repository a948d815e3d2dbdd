"""Admin imports too large for a request, run by a task worker, with their progress.

An upload larger than GLOSSARY_BACKGROUND_IMPORT_BYTES becomes an `ImportJob`: its
file is kept in the database (a worker on another server reads it too) and a task
(`run_import_job`, through the django-tasks backport) runs the same
`writer.import_file` the admin runs in a request — first as a dry run for the
preview, then for real once the editor confirms. The writer tells how far it got;
that progress is saved in autocommit, outside the import's one transaction, so the
editor's progress page sees it move, while the glossary changes only when that
transaction commits. A worker killed mid-way takes its uncommitted transaction with
it: `check_alive` then marks the job failed and frees the import lock, and the editor
can run it again.
"""

import logging
import os
import socket
import time
import zipfile
from dataclasses import asdict
from datetime import timedelta
from io import BytesIO

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from terms import writer
from terms.interchange.layouts import Layout
from terms.models import ImportJob, ImportLock
from terms.records import LeftOut

logger = logging.getLogger(__name__)

# The preview lists this many new or changed concepts; a job keeps only those.
PREVIEW_ROWS = 200
# Seconds between two progress writes: often enough for a bar, rare enough to cost nothing.
PROGRESS_INTERVAL = 0.5
# A job's file is dropped after this: a preview nobody confirms does not stay forever.
KEEP_FILES = timedelta(days=1)
# A finished or failed job, its preview and report, is deleted after this: the jobs page
# lists an editor's recent imports, and the history keeps what each one changed.
KEEP_JOBS = timedelta(days=30)
# A running job on another server, silent for this long, is taken for dead (its server
# cannot be asked); the import lock of a killed import expires after as long.
SILENCE = writer.IMPORT_LOCK_LIFETIME


def import_size(data):
    """What a file weighs for the threshold: its bytes, uncompressed for an XLSX (a zip),
    so a compressed spreadsheet of many rows is not taken for a small one."""
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                return sum(member.file_size for member in archive.infolist())
        except (zipfile.BadZipFile, OSError, ValueError):
            pass  # the reader will say what is wrong with it
    return len(data)


def runs_in_background(data):
    return import_size(data) > settings.GLOSSARY_BACKGROUND_IMPORT_BYTES


# -- starting and restarting ------------------------------------------------------------


def start_preview(data, *, user, file_name, file_format="", mapping=None):
    """A new job for an uploaded file, its dry run queued. Returns the job."""
    sweep()
    job = ImportJob.objects.create(
        user=user,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        file_name=file_name[:255],
        file_format=file_format or "",
        data=data,
        mapping=mapping,
    )
    return _enqueue(job)


def preview_with(job, mapping):
    """The job's dry run again, with the columns an editor assigned."""
    job.mapping = mapping
    job.step = ImportJob.Step.PREVIEW
    job.preview = None
    return _enqueue(job)


def start_import(job, *, overwrite_newer=False, merge=()):
    """The confirmed import of a previewed job, queued."""
    job.step = ImportJob.Step.IMPORT
    job.overwrite_newer = overwrite_newer
    job.merge = sorted(merge)
    job.report = None
    return _enqueue(job)


def retry(job):
    """A failed job's step, queued again with the same file and choices."""
    return _enqueue(job)


def has_file(job):
    return bool(job.data)


def _enqueue(job):
    job.state = ImportJob.State.QUEUED
    job.stage = ""
    job.rows = job.rows_read = job.rows_validated = job.rows_written = 0
    job.error = ""
    job.worker = ""
    job.updated_at = timezone.now()
    job.save()
    run_import_job.enqueue(job.pk)
    job.refresh_from_db()  # an immediate backend has run it already
    return job


def sweep():
    """Drop the files of jobs nobody touched for KEEP_FILES (their pages say so), and the
    jobs themselves after KEEP_JOBS, unless they run; with them, the task queue's own
    records of the tasks that finished as long ago (one per preview and per import, which
    the database backend otherwise keeps forever)."""
    now = timezone.now()
    idle = ImportJob.objects.exclude(state=ImportJob.State.RUNNING)
    idle.filter(updated_at__lt=now - KEEP_JOBS).delete()
    idle.filter(updated_at__lt=now - KEEP_FILES).exclude(data=b"").update(data=b"")
    DBTaskResult.objects.finished().filter(finished_at__lt=now - KEEP_JOBS).delete()


# -- the task ------------------------------------------------------------------------


@task()
def run_import_job(job_id):
    """Run a job's step (preview or import), saving its progress and its report."""
    started = timezone.now()
    claimed = ImportJob.objects.filter(pk=job_id, state=ImportJob.State.QUEUED).update(
        state=ImportJob.State.RUNNING,
        worker=f"{socket.gethostname()}:{os.getpid()}",
        updated_at=started,
    )
    if not claimed:
        return  # run already, or retried meanwhile: that run owns it
    job = ImportJob.objects.get(pk=job_id)
    with translation.override(job.language):
        try:
            report = writer.import_file(
                bytes(job.data),
                file_name=job.file_name,
                file_format=job.file_format or None,
                dry_run=job.step == ImportJob.Step.PREVIEW,
                user=job.user,
                overwrite_newer=job.overwrite_newer,
                merge=set(job.merge),
                mapping=job.mapping,
                progress=Progress(job_id),
            )
        except Exception as error:
            # The writer's transaction rolled back and its lock is released: nothing of
            # the file was written. Say so, with what refused it.
            logger.exception("Background import %s failed", job_id)
            _end(job_id, state=ImportJob.State.FAILED, error=failure_message(error))
            return
        if job.step == ImportJob.Step.PREVIEW:
            _end(job_id, state=ImportJob.State.DONE, preview=stored(report))
        else:
            done = {"state": ImportJob.State.DONE, "report": stored(report)}
            if report.ok:
                done["data"] = b""  # imported: the file is no longer needed
            _end(job_id, **done)


def failure_message(error):
    return _(
        "The import failed and nothing was written: the glossary is as it was. "
        "What refused it: {detail}"
    ).format(detail=f"{type(error).__name__}: {error}"[:500])


def _end(job_id, **fields):
    ImportJob.objects.filter(pk=job_id).update(updated_at=timezone.now(), **fields)


class Progress:
    """The writer's progress(stage, done, total), saved on the job at most every
    PROGRESS_INTERVAL seconds, plus each change of stage. The writer calls it outside its
    write transaction only, so each save is seen by the progress page at once."""

    COUNTERS = {
        "read": "rows_read",
        "validated": "rows_validated",
        "writing": "rows_written",
        "written": "rows_written",
    }

    def __init__(self, job_id):
        self.job_id = job_id
        self.stage = None
        self.last = 0.0

    def __call__(self, stage, done, total):
        now = time.monotonic()
        if stage == self.stage and done < total and now - self.last < PROGRESS_INTERVAL:
            return
        self.stage, self.last = stage, now
        fields = {"stage": stage, self.COUNTERS[stage]: done, "updated_at": timezone.now()}
        if stage == "read":
            fields["rows"] = total
        if stage == "writing":
            fields["to_write"] = total
        ImportJob.objects.filter(pk=self.job_id).update(**fields)


# -- a worker that died --------------------------------------------------------------


def check_alive(job):
    """The job, marked failed if it was running in a worker that is gone (killed, its
    server restarted): its transaction died with it, so nothing was written, and the
    import lock it held is released for the next import."""
    if job.state != ImportJob.State.RUNNING or not _worker_gone(job):
        return job
    with translation.override(job.language):
        error = _(
            "The worker running this import stopped before the end (a restart of the server?). "
            "Nothing was written: the glossary is as it was. You can run it again."
        )
    stopped = ImportJob.objects.filter(
        pk=job.pk, state=ImportJob.State.RUNNING, worker=job.worker
    ).update(state=ImportJob.State.FAILED, error=error, updated_at=timezone.now())
    if stopped and job.step == ImportJob.Step.IMPORT:
        # The lock a killed import leaves behind would refuse every import for
        # IMPORT_LOCK_LIFETIME: the one this job took (its user's, taken since) goes.
        ImportLock.objects.filter(
            holder=writer.lock_holder(job.user), started_at__gte=job.created_at
        ).delete()
    job.refresh_from_db()
    return job


def recover_dead_jobs():
    """Mark failed the running jobs whose worker is gone: a worker starting does this
    for the jobs its predecessor on this server left."""
    for job in ImportJob.objects.filter(state=ImportJob.State.RUNNING):
        check_alive(job)


def _worker_gone(job):
    host, _sep, pid = job.worker.rpartition(":")
    if host == socket.gethostname() and pid.isdigit():
        return not _process_runs(int(pid))
    return timezone.now() - job.updated_at > SILENCE


def _process_runs(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        # A killed process its parent has not collected yet is a zombie: gone all the same.
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


# -- reports, kept as JSON -----------------------------------------------------------


def stored(report):
    """An ImportReport as JSON, with the first PREVIEW_ROWS rows of its preview."""
    return {
        "dry_run": report.dry_run,
        "new": report.new,
        "updated": report.updated,
        "unchanged": report.unchanged,
        "invalid": report.invalid,
        "problems": [str(problem) for problem in report.problems],
        "rows": [asdict(row) for row in report.rows[:PREVIEW_ROWS]],
        "row_total": len(report.rows),
        "stale": [
            {**asdict(row), "when": row.when.isoformat() if row.when else None}
            for row in report.stale
        ],
        "matches": [asdict(match) for match in report.matches],
        "left_out": [
            {"what": str(item.what), "count": item.count, "examples": list(item.examples)}
            for item in report.left_out
        ],
        "new_domains": list(report.new_domains),
        "layout": asdict(report.layout) if report.layout is not None else None,
    }


def restored(data):
    """The ImportReport `stored` kept, and how many rows its preview had in all."""
    layout = data["layout"]
    if layout is not None:
        layout = Layout(**{**layout, "group_by": tuple(layout.get("group_by") or ())})
    report = writer.ImportReport(
        dry_run=data["dry_run"],
        new=data["new"],
        updated=data["updated"],
        unchanged=data["unchanged"],
        invalid=data["invalid"],
        problems=list(data["problems"]),
        rows=[writer.RowPreview(**row) for row in data["rows"]],
        stale=[
            writer.StaleRow(**{**row, "when": parse_datetime(row["when"]) if row["when"] else None})
            for row in data["stale"]
        ],
        matches=[writer.Match(**match) for match in data["matches"]],
        left_out=[LeftOut(**item) for item in data["left_out"]],
        new_domains=list(data["new_domains"]),
        layout=layout,
    )
    return report, data["row_total"]
