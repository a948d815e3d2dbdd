"""The one writer: every door changes the glossary the same way, in one transaction, with
one refresh of what derives from it, and a busy glossary is a sentence, never an error."""

import csv
import io
import json
from dataclasses import replace
from datetime import timedelta
from unittest import mock

import openpyxl
import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from terms import derived, writer
from terms.interchange.spreadsheet import export_columns
from terms.models import Concept, GlossaryState, ImportLock, IndexEntry, Status
from terms.records import Content, field_names, load_records
from terms.writer import import_file, set_status
from tests.conftest import make_concept

CHANGELIST = "/admin/terms/concept/"


def glossary(count, *, status="draft", start=0):
    """`count` concepts whose definitions name the first one, as a CSV file."""
    out = io.StringIO()
    rows = csv.DictWriter(out, field_names(), restval="")
    rows.writeheader()
    for number in range(start, start + count):
        rows.writerow(
            {
                "slug": f"c{number}",
                "status": status,
                "term_fr": f"Terme numéro {number}",
                "definition_fr": "Voir Terme numéro 0.",
            }
        )
    return out.getvalue().encode()


def status_change_queries(count):
    assert import_file(glossary(count), file_name="x.csv").ok
    ids = list(Concept.objects.values_list("pk", flat=True))
    with (
        CaptureQueriesContext(connection) as queries,
        mock.patch.object(GlossaryState, "bump", wraps=GlossaryState.bump) as bump,
        mock.patch.object(derived, "prepare", wraps=derived.prepare) as relink,
    ):
        assert set_status(ids, Status.PUBLISHED, reason="test") == count
    assert bump.call_count == 1, "one generation bump, whatever the number of concepts"
    assert relink.call_count == 1 and set(relink.call_args.args[0]) == set(ids), "relinked"
    Concept.objects.all().delete()
    return len(queries)


@pytest.mark.django_db
def test_publishing_10_or_1000_concepts_runs_the_same_queries_and_bumps_once():
    assert status_change_queries(10) == status_change_queries(1000)


@pytest.mark.django_db
def test_publishing_from_the_changelist_is_flat_too(editor_client):
    """The admin action: session, user, permissions, the selection, then the writer's
    constant number of statements."""
    counts = []
    for count in (10, 1000):
        assert import_file(glossary(count, start=len(counts) * 10_000), file_name="x.csv").ok
        some_id = Concept.objects.filter(status="draft").values_list("pk", flat=True)[0]
        with CaptureQueriesContext(connection) as queries:
            # "Select all" of the changelist, as an editor publishes a thousand concepts.
            response = editor_client.post(
                CHANGELIST,
                {"action": "publish", "select_across": "1", "_selected_action": [some_id]},
            )
        assert response.status_code == 302
        assert not Concept.objects.filter(status="draft").exists()
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.django_db
def test_publishing_a_concept_links_it_in_cached_pages_that_name_it():
    reader = Client()
    target = make_concept("cible", fr="Cible lointaine", status=Status.DRAFT)
    make_concept("source", fr="Source", definition_fr="Elle mène à la Cible lointaine.")
    page = reader.get("/fr/terms/source/").content.decode()
    assert 'href="/fr/terms/cible/"' not in page  # a draft is never linked for readers
    set_status([target.pk], Status.PUBLISHED)
    assert 'href="/fr/terms/cible/"' in reader.get("/fr/terms/source/").content.decode()


@pytest.mark.django_db
def test_every_door_records_who_and_why(seed, editor, editor_client):
    hybride = Concept.objects.get(slug="hybride")
    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [hybride.pk]})
    latest = Concept.history.filter(id=hybride.pk).latest()
    assert (latest.history_user, latest.history_change_reason, latest.status) == (
        editor,
        "unpublished in the admin",
        "draft",
    )
    editor_client.post(f"/admin/terms/concept/{hybride.pk}/delete/", {"post": "yes"})
    deletion = Concept.history.filter(id=hybride.pk).latest()
    assert (deletion.history_type, deletion.history_user) == ("-", editor)
    assert deletion.history_change_reason == "deleted in the admin"


@pytest.mark.django_db
def test_a_deletion_unlinks_the_concept_everywhere_and_relinks_definitions(seed):
    sdr = Concept.objects.get(slug="chargee-du-developpement-des-ventes")
    mentioning = list(sdr.mentioned_in.values_list("slug", flat=True))
    assert mentioning, "the seed's definitions name the SDR"
    writer.delete_concepts([sdr.pk], reason="test")
    assert not IndexEntry.objects.filter(concept_id=sdr.pk).exists()
    for slug in mentioning:
        concept = Concept.objects.get(slug=slug)
        assert sdr.pk not in concept.mentions.values_list("pk", flat=True)
        assert all(
            target != sdr.pk
            for t in concept.texts.all()
            for _start, _end, target in t.definition_links
        )


# -- the admin's export is export_glossary's ---------------------------------------------


def admin_export(client, file_format, *, include_drafts=False, query=""):
    formats = ["csv", "xlsx", "json", "tbx", "skos"]
    form = {
        "format": str(formats.index(file_format)),
        "resource": "0",
        **{f"conceptresource_{name}": "on" for name in export_columns()},
    }
    if include_drafts:
        form["include_drafts"] = "on"
    response = client.post(f"/admin/terms/concept/export/{query}", form)
    assert response.status_code == 200, response.content[:500]
    return response.content


def command_export(file_format, tmp_path, *args):
    path = tmp_path / f"out.{file_format}"
    call_command("export_glossary", "--format", file_format, "--output", str(path), *args)
    return path.read_bytes()


def xlsx_rows(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json", "tbx", "skos"])
def test_the_admin_export_is_the_commands_export(seed, editor_client, tmp_path, file_format):
    make_concept("brouillon", fr="Terme en chantier", status=Status.DRAFT)
    from_admin = admin_export(editor_client, file_format)
    from_command = command_export(file_format, tmp_path)
    if file_format == "xlsx":  # the workbook's own timestamps aside
        assert xlsx_rows(from_admin) == xlsx_rows(from_command)
    else:
        assert from_admin == from_command
    holds_draft = b"Terme en chantier" in from_admin or "Terme en chantier" in str(
        xlsx_rows(from_admin) if file_format == "xlsx" else ""
    )
    # Spreadsheets hold drafts with their status; TBX and SKOS carry no status.
    assert holds_draft == (file_format in ("csv", "xlsx", "json"))


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["tbx", "skos"])
def test_drafts_go_into_tbx_and_skos_only_when_an_editor_asks(
    seed, editor_client, tmp_path, file_format
):
    make_concept("brouillon", fr="Terme en chantier", status=Status.DRAFT)
    from_admin = admin_export(editor_client, file_format, include_drafts=True)
    assert b"Terme en chantier" in from_admin
    assert from_admin == command_export(file_format, tmp_path, "--include-drafts")
    assert (
        b"Terme en chantier"
        not in Client()
        .get("/exports/glossary." + ("tbx" if file_format == "tbx" else "ttl"))
        .content
    )


@pytest.mark.django_db
def test_the_admin_export_follows_the_changelists_filter(seed, editor_client):
    rows = json.loads(admin_export(editor_client, "json", query="?missing=en"))
    assert rows and all(not row["term_en"] for row in rows)
    assert len(rows) == Concept.objects.missing_translation("en").count()


# -- imports that meet other writers ------------------------------------------------------


@pytest.mark.django_db
def test_a_second_import_is_refused_while_one_runs(seed):
    ImportLock.objects.create(pk=1, holder="edith", started_at=timezone.now())
    report = import_file(b"slug,term_fr\nnouveau,Nouveau\n", file_name="x.csv")
    assert not report.ok
    assert report.problems[0].startswith("Another import is running (started by edith at")
    assert not Concept.objects.filter(slug="nouveau").exists()
    # A dry run (the admin's preview) writes nothing, so it needs no lock.
    assert import_file(b"slug,term_fr\nnouveau,Nouveau\n", file_name="x.csv", dry_run=True).ok


@pytest.mark.django_db
def test_a_lock_left_by_a_killed_import_expires(seed):
    killed_at = timezone.now() - writer.IMPORT_LOCK_LIFETIME - timedelta(minutes=1)
    ImportLock.objects.create(pk=1, holder="a script", started_at=killed_at)
    assert import_file(b"slug,term_fr\nnouveau,Nouveau\n", file_name="x.csv").ok
    assert not ImportLock.objects.exists(), "released once done"


@pytest.mark.django_db
def test_a_change_made_while_a_file_is_compared_is_kept(seed):
    """An editor saves while the import reads the file: the import compares again inside its
    transaction, so it neither overwrites the edit nor refuses needlessly."""
    plan = writer.plan_import

    def plan_while_an_editor_saves(records, **options):
        planned = plan(records, **options)
        if not getattr(plan_while_an_editor_saves, "done", False):
            plan_while_an_editor_saves.done = True
            concept_id = Concept.objects.get(slug="hybride").pk
            record = load_records([concept_id])[concept_id]
            edited = {**record.contents, "en": Content(definition="Edited meanwhile.")}
            writer.save_concept(replace(record, contents=edited), concept_id=concept_id)
        return planned

    with mock.patch.object(writer, "plan_import", side_effect=plan_while_an_editor_saves):
        report = import_file(b"slug,term_en\nhybride,Hybrid\n", file_name="x.csv")
    assert report.ok, report.problems
    english = Concept.objects.get(slug="hybride").texts_by_language()["en"]
    assert (english.term, english.definition) == ("Hybrid", "Edited meanwhile.")


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


@pytest.mark.django_db
def test_a_busy_glossary_refuses_a_write_with_a_sentence(seed):
    hybride = Concept.objects.get(slug="hybride")
    with mock.patch.object(writer, "_write", side_effect=locked):
        with pytest.raises(writer.Busy, match="an import is being written"):
            set_status([hybride.pk], Status.DRAFT)
        report = import_file(b"slug,term_en\nhybride,Hybrid\n", file_name="x.csv")
    assert report.problems == [writer.busy_message()]
    assert Concept.objects.get(slug="hybride").status == Status.PUBLISHED


@pytest.mark.django_db
def test_a_busy_glossary_is_a_page_that_says_so_in_the_admin(seed, editor_client):
    hybride = Concept.objects.get(slug="hybride")
    with mock.patch.object(writer, "_write", side_effect=locked):
        response = editor_client.post(
            CHANGELIST, {"action": "unpublish", "_selected_action": [hybride.pk]}, follow=True
        )
        assert response.status_code == 200
        assert "Le glossaire est occupé" in response.content.decode()
        response = editor_client.post(f"/admin/terms/concept/{hybride.pk}/delete/", {"post": "yes"})
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "Le glossaire est occupé" in response.content.decode()
    assert Concept.objects.filter(slug="hybride", status=Status.PUBLISHED).exists()
