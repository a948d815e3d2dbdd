"""Spreadsheets that LibreOffice Calc really saved (tests/data/libreoffice, rebuilt by make.sh).

The exports of the seed plus `tricky.csv` (cells that start with = + - @, a line break,
« » ’ · ½) were opened in Calc and saved again as XLSX, as the CSV French Excel writes
(semicolons, Windows-1252) and as tab-separated text; a translator's two-column file was
saved as XLSX. Calc also made the files people upload by mistake: its own .ods, the old
Excel .xls, a PDF, and a workbook of other columns.
"""

from pathlib import Path

import pytest

from terms.models import Concept, ConceptText
from terms.writer import import_file

DATA = Path(__file__).parent / "data" / "libreoffice"
SAVED_BY_CALC = [
    "export-resaved-by-calc.xlsx",
    "export-csv-saved-as-xlsx-by-calc.xlsx",
    "export-saved-by-calc-semicolon-windows-1252.csv",
    "export-saved-by-calc-tab-utf8.csv",
]


def read(name):
    return (DATA / name).read_bytes()


def everything():
    return (
        sorted(Concept.objects.values_list("slug", "status")),
        sorted(
            ConceptText.objects.values_list(
                "concept__slug", "language", "term", "acronyms", "variants", "definition"
            )
        ),
        sorted(
            Concept.see_also.through.objects.values_list("from_concept__slug", "to_concept__slug")
        ),
    )


@pytest.fixture
def glossary(seed):
    report = import_file(read("tricky.csv"), file_name="tricky.csv")
    assert report.ok, report.problems
    return everything()


@pytest.mark.django_db
@pytest.mark.parametrize("name", SAVED_BY_CALC)
def test_an_export_saved_again_by_calc_changes_nothing(glossary, name):
    report = import_file(read(name), file_name=name, dry_run=True)
    assert report.ok, report.problems
    assert (report.new, report.updated, report.unchanged) == (0, 0, 40)
    assert import_file(read(name), file_name=name).ok
    assert everything() == glossary


@pytest.mark.django_db
@pytest.mark.parametrize("name", SAVED_BY_CALC)
def test_formula_like_cells_come_back_as_the_text_written(glossary, name):
    """What the export protected with an apostrophe is restored exactly, never executed."""
    ConceptText.objects.filter(concept__slug="cellule-piege").update(term="", definition="")
    assert import_file(read(name), file_name=name).ok
    french, english = (
        ConceptText.objects.get(concept__slug="cellule-piege", language=language)
        for language in ("fr", "en")
    )
    assert french.term == "=SOMME(A1:A3)"
    assert french.variants == ["+33 Standard", "-Remise", "@Mention"]
    assert french.definition.splitlines()[1].startswith("Deuxième ligne : 10 % de remise, ½ tarif")
    assert "« guillemets » et l’apostrophe ; Chargé·e." in french.definition
    assert english.term == '=HYPERLINK("http://example.com";"clic")'
    assert english.definition == "-1 is a number in Excel, not here."


@pytest.mark.django_db
def test_a_translators_two_column_file_saved_by_calc_updates_only_english_definitions(glossary):
    report = import_file(read("translator-by-calc.xlsx"), file_name="translator-by-calc.xlsx")
    assert report.ok, report.problems
    assert (report.new, report.updated) == (0, 3)
    hybride = ConceptText.objects.get(concept__slug="hybride", language="en")
    assert hybride.definition == (
        "A way of working that mixes days in the office and days at home.\n"
        "Reviewed by the translator."
    )
    translated = {("hybride", "en"), ("asynchrone", "en"), ("taux-d-attrition", "en")}
    before = {(slug, language): rest for slug, language, *rest in glossary[1]}
    after = {(slug, language): rest for slug, language, *rest in everything()[1]}
    assert after.keys() == before.keys() | translated
    for key in before.keys() - translated:
        assert after[key] == before[key]
    for key in translated:  # term, acronyms and variants as they were (or empty)
        assert after[key][:3] == before.get(key, ["", [], [], ""])[:3]
    assert everything()[0] == glossary[0] and everything()[2] == glossary[2]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("export-saved-by-calc.ods", "This is an OpenDocument spreadsheet (.ods)."),
        ("export-saved-by-calc-excel-97.xls", "This is an old Excel 97–2003 workbook (.xls)."),
        ("export-printed-by-calc.pdf", "This is a PDF document, not a spreadsheet."),
        ("other-columns-by-calc.xlsx", "Unknown column(s): 'Nom', 'Prénom', 'Service'"),
    ],
)
def test_files_that_are_not_a_glossary_say_what_they_are_and_change_nothing(
    glossary, name, message
):
    for dry_run in (True, False):
        report = import_file(read(name), file_name=name, dry_run=dry_run)
        assert not report.ok
        assert report.problems[0].startswith(message), report.problems
    assert everything() == glossary
