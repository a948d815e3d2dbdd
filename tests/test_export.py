"""Exports: the SPEC's columns, safe in spreadsheets, from the admin and the command."""

import io
import json

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from terms.interchange.formats import escape_formula, unescape_formula
from terms.interchange.service import export_file
from terms.models import ConceptText
from terms.writer import import_file

COLUMNS = [
    "slug", "status", "domains",
    "term_fr", "acronyms_fr", "variants_fr", "deprecated_fr",
    "definition_fr", "note_fr", "source_fr",
    "term_en", "acronyms_en", "variants_en", "deprecated_en",
    "definition_en", "note_en", "source_en",
    "see_also", "updated_at",
]  # fmt: skip


@pytest.mark.django_db
def test_csv_export_has_the_spec_columns_in_order_and_a_bom_for_excel(seed):
    data = export_file("csv")
    assert data.startswith(b"\xef\xbb\xbf")
    header, first = data.decode("utf-8-sig").split("\r\n")[:2]
    assert header.split(",") == COLUMNS
    assert first.startswith("administration-de-compte,published,roles,Administration de compte,")


@pytest.mark.django_db
def test_multiple_values_are_joined_with_a_spaced_pipe(seed):
    rows = json.loads(export_file("json"))
    pme = next(row for row in rows if row["slug"] == "pme-pmi")
    assert pme["acronyms_fr"] == "PME | PMI"
    assert pme["acronyms_en"] == "SMB"
    assert next(r for r in rows if r["slug"] == "interaction-indirecte")["see_also"] == "asynchrone"


@pytest.mark.django_db
def test_cells_that_look_like_formulas_are_escaped_and_round_trip(seed):
    content = ConceptText.objects.get(concept__slug="hybride", language="fr")
    content.definition = '=HYPERLINK("http://evil.example","clic")'
    content.save()
    csv_data = export_file("csv")
    assert b"'=HYPERLINK" in csv_data
    book = openpyxl.load_workbook(io.BytesIO(export_file("xlsx")))
    cells = [
        c for row in book.active.iter_rows() for c in row if c.value and "HYPERLINK" in c.value
    ]
    assert cells and all(c.data_type == "s" for c in cells)
    for file_format, data in (("csv", csv_data), ("xlsx", export_file("xlsx"))):
        report = import_file(data, file_name=f"x.{file_format}")
        assert (report.updated, report.unchanged) == (0, 39), file_format
    content.refresh_from_db()
    assert content.definition == '=HYPERLINK("http://evil.example","clic")'


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("definition", ["'=1+1", "'tis", "''", "'", "=1+1", "’apostrophe"])
def test_text_that_starts_with_an_apostrophe_round_trips(seed, file_format, definition):
    """The apostrophe is the spreadsheets' escape in CSV and XLSX alike: text of one's own
    that starts with one comes back exactly as written."""
    content = ConceptText.objects.get(concept__slug="hybride", language="fr")
    content.definition = definition
    content.save()
    report = import_file(export_file(file_format), file_name=f"x.{file_format}")
    assert (report.updated, report.unchanged) == (0, 39)
    content.refresh_from_db()
    assert content.definition == definition


@pytest.mark.parametrize("value", ["=1+1", "+33 6", "-5", "@SUM", "'quoted", "''", "plain", ""])
def test_formula_escaping_is_reversible(value):
    assert unescape_formula(escape_formula(value)) == value


@pytest.mark.django_db
def test_export_command_writes_each_format(seed, tmp_path, capsys):
    for file_format in ("csv", "xlsx", "json"):
        path = tmp_path / f"out.{file_format}"
        call_command("export_glossary", "--format", file_format, "--output", str(path))
        assert path.stat().st_size > 1000
    call_command("export_glossary", "--format", "json")
    assert len(json.loads(capsys.readouterr().out)) == 39


@pytest.mark.django_db
def test_export_command_refuses_xlsx_on_standard_output(db):
    with pytest.raises(CommandError, match="--output"):
        call_command("export_glossary", "--format", "xlsx")


@pytest.mark.django_db
def test_export_runs_a_fixed_number_of_queries(seed, django_assert_max_num_queries):
    # the ids, then per slice of concepts: concepts, texts, see-also links, domains
    with django_assert_max_num_queries(5):
        export_file("csv")
