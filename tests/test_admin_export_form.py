"""The admin's export screen as a French editor uses it: its words, CSV chosen from the start,
files named with the local date, and a CSV that French Excel opens in columns.

The form is always read from the page and sent as the browser sends it."""

import csv
import datetime
import io
import shutil
import subprocess
from zoneinfo import ZoneInfo

import openpyxl
import pytest
from django.core.management import call_command

from terms.interchange.service import read_records
from terms.models import Concept
from terms.records import field_names, load_records
from tests.conftest import make_concept
from tests.forms import form_fields, post_data, with_values
from tests.pages import option_value, texts_of

EXPORT = "/admin/terms/concept/export/"
BOM = b"\xef\xbb\xbf"


@pytest.fixture
def formula(seed):
    """A concept whose texts a spreadsheet would run as formulas, were they not escaped."""
    return make_concept(
        "remise",
        fr="=1+1",
        en="-20 % off",
        definition_fr="+33 1 23 45 67 89 ; « guillemets », point médian ·\n\nDeux paragraphes.",
    )


def export_page(client, query=""):
    response = client.get(EXPORT + query)
    assert response.status_code == 200
    return response.content.decode()


def download(client, *, format_label=None, query=""):
    """The export form as the page offers it, sent with one format chosen (or as it is)."""
    page = export_page(client, query)
    changes = {"format": option_value(page, "format", format_label)} if format_label else {}
    response = client.post(EXPORT + query, post_data(with_values(form_fields(page), **changes)))
    assert response.status_code == 200, response.content[:300]
    return response


def command_csv(tmp_path):
    path = tmp_path / "glossary.csv"
    call_command("export_glossary", "--format", "csv", "--output", str(path))
    return path.read_bytes()


def rows(data, delimiter):
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=delimiter))


# -- the screen ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_export_screen_names_columns_as_the_concept_form_does(editor_client, seed):
    page = export_page(editor_client)
    labels = texts_of(page, "label")
    for label in (
        "Identifiant",
        "Statut",
        "Terme (français)",
        "Acronymes (français)",
        "Définition (anglais)",
        "Voir aussi",
        "Dernière mise à jour",
        "Toutes les colonnes",
        "Inclure les brouillons dans les fichiers TBX et SKOS",
    ):
        assert label in labels
    assert texts_of(page, "h1") == ["Exporter"]
    assert "Le fichier contiendra 39 concepts" in page
    for english in ("Select all", "Term Fr", "Slug", "See Also", "This exporter", "Submit"):
        assert english not in page


@pytest.mark.django_db
def test_csv_is_chosen_from_the_start_and_every_format_is_named(editor_client, seed):
    page = export_page(editor_client)
    chosen = dict(form_fields(page))["format"]
    assert chosen == option_value(page, "format", "CSV (UTF-8, virgules)")
    assert "---" not in page
    names = [
        "CSV (UTF-8, virgules)",
        "CSV pour Excel (;)",
        "XLSX (Excel, LibreOffice)",
        "JSON",
        "TBX-Basic (outils de terminologie)",
        "SKOS (Turtle)",
    ]
    select = page.split('<select name="format"', 1)[1].split("</select>", 1)[0]
    assert texts_of(select, "option") == names


@pytest.mark.django_db
def test_the_form_as_it_comes_downloads_the_commands_csv(editor_client, formula, tmp_path):
    response = download(editor_client)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content == command_csv(tmp_path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "name"),
    [
        ("CSV (UTF-8, virgules)", "glossaire-2026-12-01.csv"),
        ("CSV pour Excel (;)", "glossaire-2026-12-01.csv"),
        ("XLSX (Excel, LibreOffice)", "glossaire-2026-12-01.xlsx"),
        ("SKOS (Turtle)", "glossaire-2026-12-01.ttl"),
    ],
)
def test_files_are_named_with_the_date_in_paris(editor_client, seed, monkeypatch, label, name):
    # 23:30 in London on 30 November is already 1 December in Paris.
    late = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)
    page = export_page(editor_client)
    monkeypatch.setattr("django.utils.timezone.now", lambda: late)
    response = editor_client.post(
        EXPORT,
        post_data(with_values(form_fields(page), format=option_value(page, "format", label))),
    )
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert late.astimezone(ZoneInfo("Europe/Paris")).date().isoformat() in name


# -- CSV for Excel --------------------------------------------------------------------------


@pytest.mark.django_db
def test_csv_for_excel_is_the_csv_with_semicolons_bom_and_crlf(editor_client, formula, tmp_path):
    data = download(editor_client, format_label="CSV pour Excel (;)").content
    assert data.startswith(BOM)
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n") and "\r\n" in text.split("\n", 1)[0] + "\n"
    header = text.split("\r\n", 1)[0]
    assert csv.Sniffer().sniff(header, delimiters=";,").delimiter == ";"
    assert header.split(";")[:3] == ["slug", "status", "domains"]
    # Cell for cell the command's CSV, formula escapes included.
    assert rows(data, ";") == rows(command_csv(tmp_path), ",")
    remise = next(row for row in rows(data, ";") if row[0] == "remise")
    assert remise[3] == "'=1+1" and "'-20 % off" in remise


@pytest.mark.django_db
def test_csv_for_excel_reads_back_as_the_glossary(editor_client, formula):
    data = download(editor_client, format_label="CSV pour Excel (;)").content
    records = read_records(data, file_name="glossaire-2026-12-01.csv")
    stored = load_records(list(Concept.objects.values_list("pk", flat=True)))
    columns = field_names()  # what a file carries (editorial settings such as unlinked, not)
    assert {r.slug: [r.fields()[c] for c in columns] for r in records} == {
        r.slug: [r.fields()[c] for c in columns] for r in stored.values()
    }
    assert next(r for r in records if r.slug == "remise").content("fr").term == "=1+1"


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice Calc is not installed")
@pytest.mark.django_db
def test_libreoffice_opens_csv_for_excel_in_columns_and_runs_no_formula(
    editor_client, formula, tmp_path
):
    """Calc set as French Excel reads a CSV (`;`, UTF-8), saved as a workbook: one cell per
    column, the escaped formulas as text, and the workbook imports as the glossary."""
    source = tmp_path / "glossaire.csv"
    source.write_bytes(download(editor_client, format_label="CSV pour Excel (;)").content)
    subprocess.run(
        [
            "soffice",
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--infilter=CSV:59,34,76,1",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(tmp_path / "out"),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    workbook = (tmp_path / "out" / "glossaire.xlsx").read_bytes()
    sheet = openpyxl.load_workbook(io.BytesIO(workbook)).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0][:3] == ["slug", "status", "domains"]
    assert len(cells[0]) == len(rows(source.read_bytes(), ";")[0])
    remise = next(row for row in cells if row[0] == "remise")
    assert remise[3] == "'=1+1"  # text, not 2
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row if cell.value)
    records = read_records(workbook, file_name="glossaire.xlsx")
    stored = load_records(list(Concept.objects.values_list("pk", flat=True)))
    columns = field_names()  # what a file carries (editorial settings such as unlinked, not)
    assert {r.slug: [r.fields()[c] for c in columns] for r in records} == {
        r.slug: [r.fields()[c] for c in columns] for r in stored.values()
    }
