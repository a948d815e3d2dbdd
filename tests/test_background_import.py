"""Admin imports of large files, run as tasks: progress, the same preview and report, all
or nothing, a failure told in French, a dead worker noticed. The tasks run here in the
test (the dummy backend keeps them queued until the test runs them, the immediate one
runs them at once); tests/test_background_worker.py runs a real worker process."""

import re
from datetime import timedelta

import pytest
from django.db import DatabaseError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from terms import background, writer
from terms.models import Concept, ImportJob, ImportLock
from tests.test_admin import post_import

JOBS = "/admin/terms/concept/import/jobs/"
ROWS = 250


def big_csv(rows=ROWS, prefix="nouveau"):
    lines = "".join(
        f"{prefix}-{n},Nouveau terme {n},Une définition du terme {n}.\n" for n in range(rows)
    )
    return f"slug,term_fr,definition_fr\n{lines}".encode()


@pytest.fixture
def low_threshold(settings):
    settings.GLOSSARY_BACKGROUND_IMPORT_BYTES = 1000


@pytest.fixture
def queued_tasks(settings, low_threshold):
    """Tasks stay queued until the test runs them, as a worker would."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def immediate_tasks(settings, low_threshold):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def confirm_fields(body):
    return {
        name: value
        for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', body)
        if name in ("import_file_name", "original_file_name", "format", "resource")
    }


def job_page(client, job):
    return client.get(f"{JOBS}{job.pk}/").content.decode()


def test_a_small_file_is_still_imported_in_the_request(editor_client, seed, low_threshold):
    small = b"slug,term_fr\nvente-flash,Vente flash\n"
    response = post_import(editor_client, "petit.csv", small, "csv")
    assert response.status_code == 200
    assert "1 nouveau(x), 0 modifié(s), 0 inchangé(s)." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_xlsx_weighs_what_it_holds_uncompressed():
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 10_000)
    assert len(out.getvalue()) < 1000
    assert background.import_size(out.getvalue()) == 60_000
    assert background.import_size(b"PK\x03\x04 not a zip") == 14


def test_a_large_file_shows_progress_then_the_same_preview_then_the_report(
    editor_client, editor, seed, queued_tasks
):
    before = Concept.objects.count()
    response = post_import(editor_client, "gros.csv", big_csv(), "csv")
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"{JOBS}{job.pk}/"
    assert (job.user, job.language, job.state) == (editor, "fr", ImportJob.State.QUEUED)

    # Waiting for the worker: a page with bars and a link that refreshes it.
    body = job_page(editor_client, job)
    assert "Préparation de l’aperçu" in body
    assert "En attente du processus qui exécute les importations en arrière-plan." in body
    assert 'src="/static/js/admin-import-progress.js"' in body
    assert f'data-progress-url="{JOBS}{job.pk}/progress/"' in body
    assert "Actualiser" in body
    progress = editor_client.get(f"{JOBS}{job.pk}/progress/").json()
    assert progress["state"] == "queued" and not progress["finished"]

    background.run_import_job.call(job.pk)
    progress = editor_client.get(f"{JOBS}{job.pk}/progress/").json()
    assert progress == {
        **progress,
        "state": "done",
        "finished": True,
        "rows": ROWS,
        "read": ROWS,
        "validated": ROWS,
    }

    # The preview, as the request would have shown it; nothing written yet.
    body = job_page(editor_client, job)
    assert f"{ROWS} nouveau(x), 0 modifié(s), 0 inchangé(s)." in body
    assert f"Les 200 premiers sur {ROWS} sont listés." in body
    assert body.count('<tr class="new">') == 200
    assert f'action="{JOBS}{job.pk}/confirm/"' in body
    assert Concept.objects.count() == before

    response = editor_client.post(f"{JOBS}{job.pk}/confirm/", confirm_fields(body))
    assert response.status_code == 302
    job.refresh_from_db()
    assert (job.step, job.state) == (ImportJob.Step.IMPORT, ImportJob.State.QUEUED)
    background.run_import_job.call(job.pk)
    job.refresh_from_db()
    assert (job.state, job.rows_written, job.to_write) == (ImportJob.State.DONE, ROWS, ROWS)
    assert bytes(job.data) == b""  # imported: the file is not kept
    assert Concept.objects.count() == before + ROWS
    body = job_page(editor_client, job)
    assert f"Importation terminée : {ROWS} nouveau(x), 0 modifié(s), 0 inchangé(s)." in body

    # The editor finds it again in the list of their imports.
    body = editor_client.get(JOBS).content.decode()
    assert "gros.csv" in body and "Terminé" in body


def test_an_immediate_backend_runs_the_same_flow_within_the_requests(
    editor_client, seed, immediate_tasks
):
    response = post_import(editor_client, "gros.csv", big_csv(), "csv")
    job = ImportJob.objects.get()
    body = editor_client.get(response["Location"]).content.decode()
    assert f"{ROWS} nouveau(x)" in body
    editor_client.post(f"{JOBS}{job.pk}/confirm/", confirm_fields(body))
    assert Concept.objects.filter(slug__startswith="nouveau-").count() == ROWS


def test_an_invalid_large_file_lists_its_problems_and_offers_no_confirm(
    editor_client, seed, immediate_tasks
):
    data = big_csv() + b"sans-terme,,Pas de terme.\n"
    response = post_import(editor_client, "gros.csv", data, "csv")
    body = editor_client.get(response["Location"]).content.decode()
    assert "1 ligne invalide : rien ne sera importé" in body
    assert "confirm/" not in body
    assert Concept.objects.filter(slug__startswith="nouveau-").count() == 0


def test_a_failed_task_leaves_the_glossary_as_it_was_and_tells_the_editor_in_french(
    editor_client, seed, immediate_tasks, monkeypatch
):
    response = post_import(editor_client, "gros.csv", big_csv(), "csv")
    job = ImportJob.objects.get()
    body = editor_client.get(response["Location"]).content.decode()
    before = Concept.objects.count()

    def refused(*args, **kwargs):
        # After the concepts and their texts are written, inside the transaction.
        raise DatabaseError("value too long for type character varying(100)")

    monkeypatch.setattr(writer, "_write_links", refused)
    editor_client.post(f"{JOBS}{job.pk}/confirm/", confirm_fields(body))
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED
    assert Concept.objects.count() == before
    assert not ImportLock.objects.exists()
    body = job_page(editor_client, job)
    assert "L’importation a échoué et rien n’a été écrit : le glossaire est tel qu’il" in body
    assert "value too long" in body
    assert f'action="{JOBS}{job.pk}/retry/"' in body

    # Once the database takes it, the same job runs again to the end.
    monkeypatch.undo()
    editor_client.post(f"{JOBS}{job.pk}/retry/")
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE
    assert Concept.objects.count() == before + ROWS


def test_a_job_whose_worker_died_is_failed_and_its_import_lock_released(
    editor_client, editor, seed, queued_tasks
):
    post_import(editor_client, "gros.csv", big_csv(), "csv")
    job = ImportJob.objects.get()
    # As a worker killed while writing leaves it: running, its lock held, its pid gone.
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING, step=ImportJob.Step.IMPORT, worker=dead_worker()
    )
    ImportLock.objects.create(pk=1, holder=editor.username, started_at=job.created_at)
    body = job_page(editor_client, job)
    assert "Le processus qui exécutait cette importation s’est arrêté avant la fin" in body
    assert "Rien n’a été écrit" in body
    assert not ImportLock.objects.exists()
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED


def test_a_running_job_on_another_server_is_left_alone_while_it_moves(editor_client, seed):
    job = ImportJob.objects.create(
        language="fr", state=ImportJob.State.RUNNING, worker="autre-serveur:1234"
    )
    assert background.check_alive(job).state == ImportJob.State.RUNNING


def test_old_jobs_are_deleted_and_old_files_dropped_when_a_new_import_starts(
    editor_client, editor, seed, queued_tasks
):
    from datetime import timedelta

    from django.utils import timezone

    def job(days_ago, state):
        made = ImportJob.objects.create(
            user=editor, language="fr", file_name=f"{state}-{days_ago}.csv", data=b"slug\n"
        )
        then = timezone.now() - timedelta(days=days_ago)
        ImportJob.objects.filter(pk=made.pk).update(state=state, updated_at=then)
        return made.pk

    forgotten = job(31, ImportJob.State.DONE)
    failed_long_ago = job(31, ImportJob.State.FAILED)
    last_week = job(7, ImportJob.State.DONE)
    still_running = job(31, ImportJob.State.RUNNING)

    post_import(editor_client, "gros.csv", big_csv(), "csv")

    left = dict(ImportJob.objects.values_list("pk", "data"))
    assert forgotten not in left and failed_long_ago not in left
    assert bytes(left[last_week]) == b""  # its page stays; its file is gone
    assert bytes(left[still_running]) == b"slug\n"
    assert len(left) == 3  # with the new one
    listing = editor_client.get(JOBS).content.decode()
    assert "done-7.csv" in listing and "done-31.csv" not in listing


def test_another_editors_import_is_not_found(editor_client, seed, queued_tasks):
    other = ImportJob.objects.create(language="fr", file_name="secret.csv")
    assert editor_client.get(f"{JOBS}{other.pk}/").status_code == 404
    assert editor_client.get(f"{JOBS}{other.pk}/progress/").status_code == 404
    assert editor_client.post(f"{JOBS}{other.pk}/retry/").status_code == 404


def test_another_tools_large_file_asks_for_its_columns_then_previews_with_them(
    editor_client, seed, immediate_tasks
):
    lines = "".join(f"Terme {n};Term {n}\n" for n in range(ROWS))
    data = f"Français;Anglais\n{lines}".encode()
    response = post_import(editor_client, "autre-outil.csv", data, "csv")
    job = ImportJob.objects.get()
    body = editor_client.get(response["Location"]).content.decode()
    assert "Quelles colonnes importer ?" in body
    assert f'action="{JOBS}{job.pk}/columns/"' in body
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', body))
    fields.update(column_0="term_fr", column_1="term_en")
    response = editor_client.post(f"{JOBS}{job.pk}/columns/", fields)
    assert response.status_code == 302
    body = job_page(editor_client, job)
    assert f"{ROWS} nouveau(x), 0 modifié(s), 0 inchangé(s)." in body
    assert f'action="{JOBS}{job.pk}/confirm/"' in body


def dead_worker():
    """host:pid of a process that has ended."""
    import socket
    import subprocess
    import sys

    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return f"{socket.gethostname()}:{process.pid}"


@pytest.mark.django_db
def test_the_sweep_forgets_old_jobs_their_files_and_the_task_records_of_long_ago():
    now = timezone.now()
    long_ago, yesterday = now - background.KEEP_JOBS - timedelta(hours=1), now - timedelta(days=2)
    old_job = ImportJob.objects.create(language="fr", data=b"a", state=ImportJob.State.DONE)
    idle_job = ImportJob.objects.create(language="fr", data=b"b", state=ImportJob.State.DONE)
    running = ImportJob.objects.create(language="fr", data=b"c", state=ImportJob.State.RUNNING)
    ImportJob.objects.filter(pk=old_job.pk).update(updated_at=long_ago)
    ImportJob.objects.filter(pk__in=[idle_job.pk, running.pk]).update(updated_at=yesterday)

    def task_record(status, finished_at):
        return DBTaskResult.objects.create(
            status=status,
            finished_at=finished_at,
            args_kwargs={"args": [1], "kwargs": {}},
            task_path="terms.background.run_import_job",
            backend_name="default",
            run_after=now,
        ).pk

    forgotten = {task_record("SUCCESSFUL", long_ago), task_record("FAILED", long_ago)}
    kept = {task_record("SUCCESSFUL", yesterday), task_record("READY", None)}

    background.sweep()

    assert not ImportJob.objects.filter(pk=old_job.pk).exists()
    assert bytes(ImportJob.objects.get(pk=idle_job.pk).data) == b""  # its file, after a day
    assert bytes(ImportJob.objects.get(pk=running.pk).data) == b"c"
    remaining = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert kept <= remaining and not forgotten & remaining
