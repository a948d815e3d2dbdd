"""Importing spreadsheets: dialects, all-or-nothing, partial files, round trips."""

import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from terms.interchange.service import export_file
from terms.models import Concept, ConceptText, IndexEntry, Status
from terms.writer import import_file

# The columns before domains, wordings to avoid, notes and sources: files in this layout
# still import as they did (a column left out leaves its field alone).
OLD_COLUMNS = [
    "slug", "status",
    "term_fr", "acronyms_fr", "variants_fr", "definition_fr",
    "term_en", "acronyms_en", "variants_en", "definition_en",
    "see_also",
]  # fmt: skip
HEADER = ",".join(OLD_COLUMNS)


def csv_bytes(*lines, header=HEADER, encoding="utf-8", newline="\n"):
    return newline.join([header, *lines]).encode(encoding) + newline.encode(encoding)


def snapshot():
    """Everything an import could change, to prove a failed import changed nothing."""
    return (
        sorted(Concept.objects.values_list("slug", "status")),
        sorted(ConceptText.objects.values_list("concept__slug", "language", "term", "definition")),
        sorted(
            Concept.see_also.through.objects.values_list("from_concept__slug", "to_concept__slug")
        ),
        IndexEntry.objects.count(),
    )


@pytest.mark.django_db
def test_it_creates_concepts_with_every_column():
    data = csv_bytes(
        'churn,published,Taux d’attrition,,Attrition,"Taux de perte.",Churn rate,,,Loss rate.,',
    )
    report = import_file(data, file_name="terms.csv")
    assert report.ok and report.new == 1
    concept = Concept.objects.get(slug="churn")
    by_language = concept.texts_by_language()
    assert by_language["fr"].term == "Taux d’attrition"
    assert by_language["fr"].variants == ["Attrition"]
    assert by_language["en"].definition == "Loss rate."
    assert concept.status == Status.PUBLISHED


@pytest.mark.django_db
def test_a_dry_run_writes_nothing_and_counts_what_would_change(seed):
    before = snapshot()
    data = csv_bytes(
        "nouveau,published,Nouveau terme,,,,,,,,",
        "hybride,draft,Hybride,,,Changée.,,,,,",
        "asynchrone,published,Asynchrone,,,,,,,,",
        header="slug,status,term_fr,acronyms_fr,variants_fr,definition_fr,term_en,acronyms_en,"
        "variants_en,definition_en,see_also",
    )
    report = import_file(data, file_name="x.csv", dry_run=True)
    assert report.ok
    assert (report.new, report.updated) == (1, 2)
    assert snapshot() == before
    assert ("status", "published", "draft") in report.changes["hybride"]


@pytest.mark.django_db
def test_one_invalid_row_writes_nothing_and_names_row_column_and_reason(seed):
    before = snapshot()
    data = csv_bytes(
        "nouveau,published,Nouveau terme,,,,,,,,",
        "autre,published,,,,,,,,,",
        "encore,maybe,Encore,,,,,,,,nowhere",
    )
    report = import_file(data, file_name="x.csv")
    assert not report.ok
    assert (
        "Row 3, column term_fr: A term in the default language (fr) is required." in report.problems
    )
    assert any(
        p.startswith("Row 4, column status: Unknown status 'maybe'") for p in report.problems
    )
    assert "Row 4, column see_also: Unknown see-also slug(s): nowhere." in report.problems
    assert snapshot() == before


@pytest.mark.django_db
def test_duplicate_slugs_in_a_file_are_refused(db):
    report = import_file(
        csv_bytes("a,published,A,,,,,,,,", "a,published,B,,,,,,,,"), file_name="x.csv"
    )
    assert report.problems == ["Duplicate slugs: row 3 repeats slug 'a' of row 2."]
    assert not Concept.objects.exists()


@pytest.mark.django_db
def test_unknown_columns_are_refused_with_the_expected_list(db):
    report = import_file(b"slug,term_fr,colour\na,A,red\n", file_name="x.csv")
    assert len(report.problems) == 1
    assert "Unknown column(s): 'colour'" in report.problems[0]
    assert "slug, status, domains, term_fr" in report.problems[0]
    assert not Concept.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf\r\n", "The file is empty."),
        (b"\x00\x01\x02binary\x00", "This is not a text file"),
        (b'slug,term_fr\n"a,A\n', "This CSV file is malformed"),
    ],
)
def test_unreadable_files_get_a_clear_message(db, data, message):
    report = import_file(data, file_name="x.csv")
    assert not report.ok
    assert report.problems[0].startswith(message)


@pytest.mark.django_db
def test_windows_1252_semicolon_crlf_files_from_french_excel_import(db):
    data = csv_bytes(
        "vente;published;Vente assistée;;;Données « en temps réel ».;;;;;",
        header=";".join(OLD_COLUMNS),
        encoding="cp1252",
        newline="\r\n",
    )
    report = import_file(data, file_name="export excel.csv")
    assert report.ok, report.problems
    content = ConceptText.objects.get(concept__slug="vente", language="fr")
    assert content.term == "Vente assistée"
    assert content.definition == "Données « en temps réel »."


@pytest.mark.django_db
def test_utf8_with_bom_and_multiline_cells_import(db):
    data = '\ufeffslug,term_fr,definition_fr\r\nx,Chargé·e,"Ligne un\r\nLigne deux"\r\n'.encode()
    report = import_file(data, file_name="x.csv")
    assert report.ok, report.problems
    assert ConceptText.objects.get().definition == "Ligne un\nLigne deux"


@pytest.mark.django_db
def test_a_blank_slug_is_derived_from_the_french_term(db):
    report = import_file(csv_bytes(",published,Chargé·e de compte,,,,,,,,"), file_name="x.csv")
    assert report.ok
    assert Concept.objects.get().slug == "chargee-de-compte"


@pytest.mark.django_db
def test_see_also_may_point_to_a_concept_created_later_in_the_file(db):
    data = csv_bytes("a,published,A,,,,,,,,b", "b,published,B,,,,,,,,a")
    assert import_file(data, file_name="x.csv").ok
    assert list(Concept.objects.get(slug="a").see_also.values_list("slug", flat=True)) == ["b"]


@pytest.mark.django_db
def test_a_partial_file_updates_only_its_columns(seed):
    hybride = ConceptText.objects.get(concept__slug="hybride", language="fr")
    data = b"slug,definition_en\nhybride,A mix of synchronous interactions.\n"
    report = import_file(data, file_name="translator.csv")
    assert report.ok and report.updated == 1
    hybride.refresh_from_db()
    assert hybride.term == "Hybride" and hybride.definition.startswith("Combinaison")
    english = ConceptText.objects.get(concept__slug="hybride", language="en")
    assert english.definition == "A mix of synchronous interactions."


@pytest.mark.django_db
def test_an_empty_cell_in_a_present_column_clears_the_field(seed):
    report = import_file(b"slug,acronyms_en\npme-pmi,\n", file_name="x.csv")
    assert report.ok
    english = Concept.objects.get(slug="pme-pmi").texts_by_language().get("en")
    assert english is None or english.acronyms == []  # a text left empty is removed


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_reimporting_an_export_changes_nothing(seed, file_format):
    before = snapshot()
    data = export_file(file_format)
    report = import_file(data, file_name=f"export.{file_format}")
    assert report.ok, report.problems
    assert (report.new, report.updated, report.unchanged) == (0, 0, 39)
    assert snapshot() == before


@pytest.mark.django_db
def test_export_import_export_is_identical_but_for_the_versions(seed):
    """Into an empty glossary, an export comes back whole; only the versions (the last
    column: when each concept was last changed) are those of the import."""

    def without_versions(data):
        return [line.rsplit(",", 1)[0] for line in data.decode("utf-8-sig").split("\r\n")]

    first = export_file("csv")
    Concept.objects.all().delete()
    assert import_file(first, file_name="x.csv").ok
    again = export_file("csv")
    assert again != first
    assert without_versions(again) == without_versions(first)


@pytest.mark.django_db
def test_xlsx_from_a_spreadsheet_with_numbers_and_empty_cells_imports(db):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["slug", "status", "term_fr", "definition_fr"])
    sheet.append(["b2b", "published", "B2B", None])
    sheet.append([None, None, 2024, "Une année."])
    out = io.BytesIO()
    book.save(out)
    report = import_file(out.getvalue(), file_name="book.xlsx")
    assert report.ok, report.problems
    assert ConceptText.objects.get(concept__slug="2024").definition == "Une année."


@pytest.mark.django_db
def test_json_objects_that_leave_a_key_out_leave_that_field_alone(seed):
    data = json.dumps([{"slug": "hybride", "term_en": "Hybrid"}]).encode()
    report = import_file(data, file_name="x.json")
    assert report.ok, report.problems
    by_language = Concept.objects.get(slug="hybride").texts_by_language()
    assert by_language["en"].term == "Hybrid"
    assert by_language["fr"].definition.startswith("Combinaison")


@pytest.mark.django_db
def test_invalid_json_gets_a_clear_message(db):
    assert (
        import_file(b"{not json", file_name="x.json")
        .problems[0]
        .startswith("This is not valid JSON")
    )
    assert import_file(b'{"a": 1}', file_name="x.json").problems == [
        "A JSON glossary must be a list of objects, one per concept."
    ]


@pytest.mark.django_db
def test_hostile_slugs_are_refused(db):
    report = import_file(csv_bytes("../../etc/passwd,published,X,,,,,,,,"), file_name="x.csv")
    assert any("Invalid slug" in p for p in report.problems)
    assert not Concept.objects.exists()


@pytest.mark.django_db
def test_import_command_reports_problems_and_exits_with_an_error(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes("a,published,,,,,,,,,"))
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_glossary", str(path))
    assert "Row 2, column term_fr" in capsys.readouterr().err
    assert not Concept.objects.exists()


@pytest.mark.django_db
def test_import_command_dry_run_writes_nothing(tmp_path, capsys):
    path = tmp_path / "ok.csv"
    path.write_bytes(csv_bytes("a,published,A,,,,,,,,"))
    call_command("import_glossary", str(path), "--dry-run")
    assert "Dry run: 1 new" in capsys.readouterr().out
    assert not Concept.objects.exists()
    call_command("import_glossary", str(path))
    assert Concept.objects.filter(slug="a").exists()


@pytest.mark.django_db
def test_problems_are_told_in_the_editors_language(seed):
    data = "slug,term_fr,status\nnouveau,,peut-être\n".encode()
    with translation.override("fr"):
        report = import_file(data, file_name="x.csv")
    assert report.problems == [
        "Ligne 2, colonne status : Statut inconnu 'peut-être' : utilisez 'published' ou 'draft'.",
        "Ligne 2, colonne term_fr : Un terme dans la langue par défaut (fr) est obligatoire.",
    ]
    with translation.override("fr"):
        assert import_file(b"", file_name="x.csv").problems == ["Le fichier est vide."]


@pytest.mark.django_db
def test_an_old_export_does_not_silently_undo_a_later_change(seed, editor, capsys, tmp_path):
    old_export = export_file("csv")
    assert import_file(b"slug,definition_en\nhybride,Changed since.\n", file_name="x.csv").ok
    dry = import_file(old_export, file_name="old.csv", dry_run=True)
    assert dry.ok and [row.slug for row in dry.stale] == ["hybride"]
    assert dry.stale[0].sentence().startswith("Row ")
    refused = import_file(old_export, file_name="old.csv")
    assert not refused.ok
    assert (
        "hybride" in refused.problems[0]
        and "was changed since this file was exported" in (refused.problems[0])
    )
    english = Concept.objects.get(slug="hybride").texts_by_language()["en"]
    assert english.definition == "Changed since."
    path = tmp_path / "old.csv"
    path.write_bytes(old_export)
    with pytest.raises(CommandError):
        call_command("import_glossary", str(path))
    assert "--overwrite-newer" in capsys.readouterr().err
    call_command("import_glossary", str(path), "--overwrite-newer")
    assert not ConceptText.objects.filter(concept__slug="hybride", language="en").exists()


@pytest.mark.django_db
def test_a_file_without_versions_imports_as_before(seed):
    data = export_file("csv").decode("utf-8-sig")
    without = "\r\n".join(line.rsplit(",", 1)[0] for line in data.split("\r\n")).encode()
    assert import_file(b"slug,definition_en\nhybride,Changed since.\n", file_name="x.csv").ok
    report = import_file(without, file_name="old.csv")
    assert report.ok and report.stale == [] and report.updated == 1


@pytest.mark.django_db
def test_a_version_a_spreadsheet_shows_as_a_date_still_reads(seed):
    """LibreOffice and Excel may turn the ISO version into a date and time without
    microseconds or time zone: it still reads, as UTC, within a second."""
    version = Concept.objects.get(slug="hybride").updated_at
    shown = version.strftime("%Y-%m-%d %H:%M:%S")
    data = f"slug,definition_fr,updated_at\nhybride,Neuve.,{shown}\n".encode()
    report = import_file(data, file_name="x.csv", dry_run=True)
    assert report.ok and report.stale == [] and report.updated == 1


@pytest.mark.django_db
def test_the_command_says_what_a_foreign_file_leaves_out_and_what_it_matches(
    seed, tmp_path, capsys
):
    from tests.test_admin import CAT_ENTRY

    path = tmp_path / "cat.tbx"
    path.write_bytes(CAT_ENTRY)
    call_command("import_glossary", str(path))
    err = capsys.readouterr().err
    assert "Not kept: 1 contexts (examples of use) (e.g. entry 1 (“Customer onboarding”))" in err
    assert "entry 1 (“Customer onboarding”): left alone, names integration (Intégration)" in err
    assert "--merge-matches" in err
    call_command("import_glossary", str(path), "--merge-matches")
    assert "merged into integration" in capsys.readouterr().err
    assert Concept.objects.get(slug="integration").texts_by_language()["en"].term == (
        "Customer onboarding"
    )
