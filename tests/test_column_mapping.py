"""Spreadsheets from other tools: Weblate's glossary layout is recognised by itself, any other
sheet asks which of its columns go where (the admin remembers the answer, the command line
takes --map), and whatever is left out is reported.

Real files (tests/data/SOURCES.md): Weblate's own test data (`fr-multi.csv`,
`terms-header.csv`, `cs.xlsx`, `fr.xlsx`), a Weblate glossary kept in a game's
translation repository (`compcon-glossary-fr.csv`, quoted with apostrophes and separated
by spaces), and a team's two-column sheet saved by LibreOffice Calc.
"""

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from terms.interchange.layouts import ColumnsNeeded
from terms.interchange.service import read_records
from terms.models import ColumnMapping, Concept, ConceptText
from terms.writer import import_file
from tests.forms import form_fields, post_data, with_values

DATA = Path(__file__).parent / "data"
IMPORT = "/admin/terms/concept/import/"
CONFIRM = "/admin/terms/concept/process_import/"


def read(name):
    return (DATA / name).read_bytes()


def left_out(report):
    return {item.what: item.count for item in report.left_out}


def texts(slug):
    return {text.language: text for text in ConceptText.objects.filter(concept__slug=slug).all()}


# -- Weblate's layout, recognised ------------------------------------------------------


@pytest.mark.django_db
def test_weblate_csv_rows_of_one_source_term_are_one_concept_with_variants():
    report = import_file(read("weblate/fr-multi.csv"), file_name="fr-multi.csv")
    assert report.ok, report.problems
    assert report.layout.tool == "Weblate"
    assert report.layout.describe() == "source → term_en, target → term_fr"
    assert report.new == 2
    infarction = texts("infarctus-myocardique")
    assert infarction["fr"].term == "Infarctus myocardique"
    assert infarction["fr"].variants == ["Infarctus du myocarde", "Infarctus cardiaque"]
    assert infarction["en"].term == "Myocardial infarction (disorder)"
    assert texts("douleur-a-l-estomac")["fr"].variants == ["douleur gastrique"]
    # Weblate's context (here a SNOMED code) has no home: said, with the rows.
    assert left_out(report) == {"cells of the column “context”, not imported": 5}


@pytest.mark.django_db
def test_a_weblate_glossary_quoted_with_apostrophes_and_spaces_reads_every_row():
    report = import_file(
        read("weblate/compcon-glossary-fr.csv"), file_name="compcon-glossary-fr.csv"
    )
    assert report.ok, report.problems
    assert report.new == 33
    assert texts("bonus-d-architecture")["en"].term == "Core Bonus"
    assert texts("bonus-d-architecture")["fr"].term == "Bonus d'architecture"
    assert texts("surcharger-le-reacteur")["en"].term == "Overcharge"
    assert left_out(report) == {"cells of the column “location”, not imported": 2}
    again = import_file(
        read("weblate/compcon-glossary-fr.csv"), file_name="compcon-glossary-fr.csv", merge=True
    )
    assert (again.new, again.updated, again.unchanged) == (0, 0, 33)


@pytest.mark.django_db
def test_a_weblate_download_reports_each_column_it_leaves_out_and_can_map_them():
    data = read("weblate/gramps-glossary-fr.csv")
    report = import_file(data, file_name="gramps-project-glossary-fr.csv", dry_run=True)
    assert report.ok, report.problems
    # 163 rows, two of them the same ("Default" → "Par défaut"): one concept.
    assert report.new == 162
    assert left_out(report) == {
        "cells of the column “fuzzy”, not imported": 163,
        "cells of the column “context”, not imported": 118,
        "cells of the column “translator_comments”, not imported": 91,
        "cells of the column “developer_comments”, not imported": 133,
    }
    # The explanations are worth keeping: the editor says where they go.
    mapping = {
        "source": "term_en",
        "target": "term_fr",
        "translator_comments": "definition_fr",
    }
    report = import_file(data, file_name="gramps-project-glossary-fr.csv", mapping=mapping)
    assert report.ok and report.new == 162
    person = texts("individu")
    assert person["en"].term == "Person"
    assert person["fr"].definition == "Un enregistrement de « personne » dans Gramps"
    # Same source, another Weblate context: another concept.
    assert texts("person")["en"].term == "Person"


@pytest.mark.django_db
def test_weblate_xlsx_reads_its_rows_and_reports_its_comments():
    report = import_file(read("weblate/fr.xlsx"), file_name="fr.xlsx", dry_run=True)
    assert report.ok, report.problems
    assert report.layout.tool == "Weblate"
    # Four rows hold text; Calc-style formatting left 517 empty rows behind them.
    assert report.new == 4
    assert report.rows[0].changes == [
        ("slug", "", "traitement-a"),
        ("term_fr", "", "Traitement A"),
        ("term_en", "", "key_a"),
    ]
    assert left_out(report) == {"cells of the column “translator_comments”, not imported": 4}


@pytest.mark.django_db
def test_a_weblate_file_that_does_not_name_its_language_is_never_read_as_french():
    # Weblate's terms-header.csv is Czech; nothing in it says so, and its name says nothing.
    report = import_file(read("weblate/terms-header.csv"), file_name="terms-header.csv")
    assert not report.ok
    assert report.layout.undecided and report.layout.tool == "Weblate"
    assert "looks like a Weblate glossary" in report.problems[0]
    assert "“target” column" in report.problems[0]
    assert Concept.objects.count() == 0
    # cs.xlsx names Czech, which the glossary does not hold: the columns are asked for too,
    # and a Czech column left out leaves no French term to import.
    report = import_file(read("weblate/cs.xlsx"), file_name="cs.xlsx")
    assert report.layout.undecided
    report = import_file(
        read("weblate/cs.xlsx"), file_name="cs.xlsx", mapping={"source": "term_en", "target": ""}
    )
    assert report.problems == [
        "The file needs a 'slug' column or a 'term_fr' column to know which concept each row is."
    ]


# -- any other sheet: mapped ------------------------------------------------------------


@pytest.mark.django_db
def test_a_plain_sheet_asks_for_its_columns_and_suggests_them_from_their_names(seed):
    with pytest.raises(ColumnsNeeded) as asked:
        read_records(read("libreoffice/plain-sheet-by-calc.xlsx"), file_name="équipe.xlsx")
    layout = asked.value.layout
    assert [layout.headers[c] for c in layout.columns] == ["Anglais", "Français", "Commentaire"]
    assert layout.mapping == {"anglais": "term_en", "français": "term_fr", "commentaire": ""}
    assert layout.samples["français"] == ["Intégration", "Vente incitative", "Revue de pipeline"]
    assert str(asked.value).startswith("Unknown column(s): 'Anglais', 'Français', 'Commentaire'.")


@pytest.mark.django_db
def test_a_mapped_sheet_adds_new_concepts_and_merges_matches_only_when_asked(seed):
    data = read("libreoffice/plain-sheet-by-calc.xlsx")
    mapping = {"Anglais": "term_en", "Français": "term_fr", "Commentaire": "definition_fr"}
    before = texts("integration")["fr"].definition
    report = import_file(data, file_name="équipe.xlsx", mapping=mapping, dry_run=True)
    assert report.ok, report.problems
    assert report.new == 1  # Revue de pipeline
    assert [(m.where, m.slug, m.merged) for m in report.matches] == [
        ("row 2", "integration", False),
        ("row 3", "vente-incitative", False),
    ]
    assert left_out(report) == {"rows with no term in fr, not imported": 1}  # Quota
    report = import_file(data, file_name="équipe.xlsx", mapping=mapping, merge={"row 3"})
    # Row 3 is merged, but its comment cell is empty, and an empty cell of another tool's
    # file says nothing: the definition stays, the concept is unchanged.
    assert report.ok and (report.new, report.updated, report.unchanged) == (1, 0, 1)
    assert texts("integration")["fr"].definition == before  # not chosen: left alone
    upsell = texts("vente-incitative")
    assert upsell["en"].term == "Upsell"
    assert upsell["fr"].definition.startswith("On appelle «\xa0vente incitative\xa0»")
    assert texts("revue-de-pipeline")["fr"].definition == "Chaque lundi avec les AE"
    assert "Quota" not in set(ConceptText.objects.values_list("term", flat=True))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        (
            {"Anglais": "term_fr", "Français": "term_fr"},
            "Two columns go to term_fr: choose one column for each field.",
        ),
        ({"Français": "terme"}, "Unknown field(s) 'terme': a column can go to slug, status,"),
        ({"French": "term_fr"}, "The file has no column 'french'; its columns are 'Anglais',"),
        ({"Anglais": "term_en"}, "The file needs a 'slug' column or a 'term_fr' column"),
    ],
)
def test_a_mapping_that_does_not_fit_says_why_and_writes_nothing(seed, mapping, message):
    report = import_file(
        read("libreoffice/plain-sheet-by-calc.xlsx"), file_name="équipe.xlsx", mapping=mapping
    )
    assert report.problems[0].startswith(message), report.problems
    assert Concept.objects.count() == 39


@pytest.mark.django_db
def test_a_tbx_file_has_no_columns_to_map():
    report = import_file(read("tbx/v3-basic.tbx"), file_name="x.tbx", mapping={"a": "term_fr"})
    assert report.problems == [
        "This is a TBX file: it has no columns to assign, only spreadsheets do."
    ]


# -- the command line -------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_line_takes_map_options(seed, capsys):
    path = DATA / "libreoffice" / "plain-sheet-by-calc.xlsx"
    with pytest.raises(CommandError):
        call_command("import_glossary", str(path))
    err = capsys.readouterr().err
    assert "'Anglais' (e.g. Onboarding, Upsell, Pipeline review)" in err
    assert "--map Anglais=term_en --map 'Français=term_fr' --map Commentaire=" in err
    call_command(
        "import_glossary",
        str(path),
        "--map",
        "Anglais=term_en",
        "--map",
        "Français=term_fr",
        "--map",
        "Commentaire=",
    )
    out, err = capsys.readouterr()
    assert "1 new, 0 changed, 0 unchanged concept(s) were imported." in out
    assert "Read as the columns given: Anglais → term_en, Français → term_fr" in err
    assert "Not kept: 3 cells of the column “Commentaire”, not imported" in err
    assert "row 2: left alone, names integration (Intégration)" in err
    with pytest.raises(CommandError, match="--map Anglais does not read"):
        call_command("import_glossary", str(path), "--map", "Anglais")


@pytest.mark.django_db
def test_the_command_line_recognises_weblate_by_itself(capsys):
    call_command("import_glossary", str(DATA / "weblate" / "fr-multi.csv"))
    out, err = capsys.readouterr()
    assert "2 new" in out
    assert "Read as a Weblate glossary: source → term_en, target → term_fr" in err


# -- the admin: asks, previews, remembers ----------------------------------------------


def upload(client, name, data):
    return client.post(IMPORT, {"format": "", "import_file": SimpleUploadedFile(name, data)})


def columns_menus(body):
    """{column header: chosen field} of the page's column menus."""
    labels = dict(re.findall(r'<label for="id_(column_\d+)">([^<]*)</label>', body))
    chosen = dict(form_fields(body))
    return {labels[name]: chosen.get(name, "") for name in labels}


@pytest.mark.django_db
def test_the_admin_asks_where_a_plain_sheets_columns_go_then_previews_and_imports(
    editor_client, seed
):
    body = upload(
        editor_client, "équipe.xlsx", read("libreoffice/plain-sheet-by-calc.xlsx")
    ).content.decode()
    assert "Quelles colonnes importer ?" in body
    assert "Les colonnes de <strong>équipe.xlsx</strong> ne sont pas celles du glossaire" in body
    assert columns_menus(body) == {
        "Anglais": "term_en",
        "Français": "term_fr",
        "Commentaire": "",
    }
    assert "Par exemple : Intégration · Vente incitative · Revue de pipeline" in body
    assert "process_import" not in body
    fields = with_values(form_fields(body), column_2="definition_fr")
    preview = editor_client.post(IMPORT, post_data(fields)).content.decode()
    assert "Ses colonnes sont lues ainsi" in preview
    assert "<strong>Commentaire</strong> → Définition (français)" in preview
    assert "1 nouveau(x), 0 modifié(s), 0 inchangé(s)." in preview
    assert "ligne 2 → « Intégration » (integration)" in preview
    assert "Lignes sans terme en fr, non importées : 1" in preview
    confirm = [
        (name, value)
        for name, value in with_values(form_fields(preview))
        if name
        in ("import_file_name", "original_file_name", "format", "resource", "columns", "merge")
    ] + [("merge", "row 3")]
    response = editor_client.post(CONFIRM, post_data(confirm))
    assert response.status_code == 302
    assert texts("revue-de-pipeline")["fr"].definition == "Chaque lundi avec les AE"
    assert texts("vente-incitative")["en"].term == "Upsell"
    # The same columns next time: the menus say what was chosen.
    again = upload(
        editor_client, "équipe-2.xlsx", read("libreoffice/plain-sheet-by-calc.xlsx")
    ).content.decode()
    assert columns_menus(again)["Commentaire"] == "definition_fr"
    assert ColumnMapping.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_recognises_a_weblate_glossary_and_offers_to_change_its_columns(
    editor_client,
):
    body = upload(editor_client, "fr-multi.csv", read("weblate/fr-multi.csv")).content.decode()
    assert "Reconnu : un glossaire Weblate." in body
    assert (
        "<strong>source</strong> → Terme (anglais), <strong>target</strong> → Terme (français)"
        in body
    )
    assert "laissées de côté : context" in body
    assert "Changer les colonnes" in body
    assert "2 nouveau(x)" in body
    assert "process_import" in body


@pytest.mark.django_db
def test_columns_chosen_twice_ask_again_with_the_reason(editor_client, seed):
    body = upload(
        editor_client, "équipe.xlsx", read("libreoffice/plain-sheet-by-calc.xlsx")
    ).content.decode()
    fields = with_values(form_fields(body), column_0="term_fr")
    again = editor_client.post(IMPORT, post_data(fields)).content.decode()
    assert "Deux colonnes vont dans term_fr" in again
    assert columns_menus(again)["Anglais"] == "term_fr"
    assert Concept.objects.count() == 39


@pytest.mark.django_db
def test_an_expired_upload_cannot_be_mapped(editor_client):
    response = editor_client.post(
        IMPORT, {"step": "columns", "upload": "0" * 32, "column_0": "term_fr"}, follow=True
    )
    assert "Cet aperçu a expiré" in response.content.decode()
