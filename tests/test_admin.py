"""The editors' admin: list, form, import with preview and confirm, permissions."""

import os
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from terms.models import Concept, ConceptText, IndexEntry
from tests.forms import form_fields, post_data, with_values
from tests.test_export import COLUMNS

CHANGELIST = "/admin/terms/concept/"
DATA = Path(__file__).parent / "data"
IMPORT = "/admin/terms/concept/import/"


def post_import(client, name, data, file_format):
    """The admin's import form sent with one file: the preview, or the problems."""
    upload = SimpleUploadedFile(name, data)
    return client.post(IMPORT, {"format": format_index(client, file_format), "import_file": upload})


def format_index(client, name):
    """The admin import form's choice value for a format, read from the page."""
    page = client.get(IMPORT).content.decode()
    return re.search(rf'<option value="(\d+)"[^>]*>{name}</option>', page).group(1)


@pytest.mark.django_db
def test_changelist_shows_each_languages_term_and_acronyms(
    editor_client, seed, django_assert_max_num_queries
):
    # session, user, permissions, count, page of concepts, their texts, filters…
    with django_assert_max_num_queries(12):
        response = editor_client.get(CHANGELIST)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Responsable de la réussite client" in body and "CSM" in body
    assert "Customer success manager" in body


@pytest.mark.django_db
def test_changelist_search_is_accent_insensitive(editor_client, seed):
    body = editor_client.get(CHANGELIST, {"q": "reussite"}).content.decode()
    assert "Réussite client" in body


@pytest.mark.django_db
def test_missing_translation_filter_lists_concepts_without_english(editor_client, seed):
    body = editor_client.get(CHANGELIST, {"missing": "en"}).content.decode()
    assert "Hybride" in body and "Customer success manager" not in body


def send_form(client, url, **changes):
    """The admin's form at `url` sent back as a browser would, with some fields changed."""
    fields = with_values(form_fields(client.get(url).content.decode()), **changes)
    return client.post(url, post_data(fields))


@pytest.mark.django_db
def test_the_form_edits_both_languages_and_rebuilds_the_index(editor_client, seed):
    concept = Concept.objects.get(slug="hybride")
    url = f"/admin/terms/concept/{concept.pk}/change/"
    response = send_form(
        editor_client, url, variants_fr="Mode hybride | Vente hybride", term_en="Hybrid"
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    by_language = Concept.objects.get(slug="hybride").texts_by_language()
    assert by_language["fr"].variants == ["Mode hybride", "Vente hybride"]
    assert by_language["fr"].definition.startswith("Combinaison")
    assert IndexEntry.objects.filter(language="fr", text="Vente hybride").exists()
    assert IndexEntry.objects.filter(language="en", text="Hybrid", untranslated=False).exists()


@pytest.mark.django_db
def test_the_add_form_derives_the_slug_and_leaves_an_empty_language_unsaved(editor_client, seed):
    response = send_form(
        editor_client,
        "/admin/terms/concept/add/",
        term_fr="Vente sociale",
        definition_fr="Vendre par les réseaux sociaux.",
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    concept = Concept.objects.get(slug="vente-sociale")
    assert set(concept.texts_by_language()) == {"fr"}
    assert concept.status == "published"
    record = Concept.history.filter(id=concept.pk).get()
    assert record.history_change_reason == "added in the admin"


@pytest.mark.django_db
def test_the_form_refuses_a_taken_slug_naming_its_concept(editor_client, seed):
    response = send_form(editor_client, "/admin/terms/concept/add/", term_fr="Hybride")
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "L’identifiant « hybride » est déjà utilisé par « Hybride » : choisissez-en un autre."
        in body
    )


@pytest.mark.django_db
def test_a_wording_that_names_another_concept_is_saved_with_a_warning(editor_client, seed):
    response = send_form(
        editor_client, "/admin/terms/concept/add/", term_fr="Gestion de compte", acronyms_fr="CSM"
    )
    assert response.status_code == 302
    page = editor_client.get(response["Location"]).content.decode()
    assert "« CSM » nomme aussi un autre concept" in page
    assert Concept.objects.filter(slug="gestion-de-compte").exists()


@pytest.mark.django_db
def test_a_save_on_top_of_another_editors_change_is_refused_with_what_they_changed(
    editor_client, seed, editor
):
    concept = Concept.objects.get(slug="hybride")
    url = f"/admin/terms/concept/{concept.pk}/change/"
    stale = with_values(form_fields(editor_client.get(url).content.decode()))
    assert send_form(editor_client, url, definition_en="Synchronous and not.").status_code == 302
    mine = [(n, "Mon texte." if n == "definition_fr" else v) for n, v in stale]
    response = editor_client.post(url, post_data(mine))
    body = response.content.decode()
    assert response.status_code == 200
    assert "edith a modifié ce concept le" in body
    assert "Définition (anglais) : — → Synchronous and not." in body
    assert "Mon texte." in body  # the editor's text is still in the form
    by_language = Concept.objects.get(slug="hybride").texts_by_language()
    assert by_language["en"].definition == "Synchronous and not."
    assert by_language["fr"].definition.startswith("Combinaison")
    # Saving again, knowingly, replaces their change with the editor's.
    again = with_values(form_fields(body), definition_fr="Mon texte.")
    assert editor_client.post(url, post_data(again)).status_code == 302
    assert Concept.objects.get(slug="hybride").texts_by_language()["fr"].definition == "Mon texte."


@pytest.mark.django_db
def test_admin_import_previews_then_confirms(editor_client, seed):
    response = post_import(
        editor_client,
        "translations.csv",
        "slug;term_en;definition_en\r\nhybride;Hybrid;Synchronous only.\r\n".encode("cp1252"),
        "csv",
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "0 nouveau(x), 1 modifié(s), 0 inchangé(s)." in body  # the admin speaks French
    assert "Synchronous only." in body
    assert not ConceptText.objects.filter(concept__slug="hybride", language="en").exists()
    confirm = {
        name: value
        for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', body)
        if name
        in ("import_file_name", "original_file_name", "format", "resource", "csrfmiddlewaretoken")
    }
    response = editor_client.post("/admin/terms/concept/process_import/", confirm)
    assert response.status_code == 302
    assert ConceptText.objects.get(concept__slug="hybride", language="en").term == "Hybrid"


@pytest.mark.django_db
def test_admin_import_of_an_invalid_file_lists_problems_and_offers_no_confirm(editor_client, seed):
    response = post_import(editor_client, "bad.csv", b"slug,term_fr,term_fr\na,A,B\n", "csv")
    body = response.content.decode()
    assert "Colonne(s) en double : term_fr." in body  # in French
    assert "process_import" not in body


@pytest.mark.django_db
def test_admin_import_of_a_binary_file_says_what_is_wrong(editor_client, seed):
    response = post_import(
        editor_client, "photo.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "csv"
    )
    assert "Ceci n’est pas un fichier texte" in response.content.decode()
    assert Concept.objects.count() == 39


@pytest.mark.django_db
def test_admin_preview_of_a_re_saved_export_counts_rows_and_lists_only_changes(editor_client, seed):
    data = (DATA / "libreoffice" / "export-resaved-by-calc.xlsx").read_bytes()
    response = post_import(editor_client, "glossaire.xlsx", data, "xlsx")
    body = response.content.decode()
    assert "1 nouveau(x), 0 modifié(s), 39 inchangé(s)." in body  # seed + tricky.csv
    assert body.count('<tr class="new">') == 1 and '<tr class="skip">' not in body


@pytest.mark.django_db
def test_admin_import_of_a_calc_ods_file_says_to_save_it_as_xlsx(editor_client, seed):
    data = (DATA / "libreoffice" / "export-saved-by-calc.ods").read_bytes()
    response = post_import(editor_client, "glossaire.ods", data, "xlsx")
    body = response.content.decode()
    assert "Ceci est un classeur OpenDocument (.ods)." in body
    assert "Classeur Excel (.xlsx)" in body
    assert Concept.objects.count() == 39


@pytest.mark.django_db
def test_admin_export_downloads_a_csv_in_the_spec_columns(editor_client, seed):
    columns = COLUMNS
    form = {"format": "0", "resource": "0", **{f"conceptresource_{c}": "on" for c in columns}}
    response = editor_client.post("/admin/terms/concept/export/", form)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.split("\r\n")[0].split(",") == columns
    assert text.count("\r\npublished") == 0 and text.count(",published,") == 39


@pytest.mark.django_db
def test_staff_outside_the_editors_group_cannot_change_or_import(staff_outsider, seed):
    client = Client()
    client.force_login(staff_outsider)
    assert client.get(CHANGELIST).status_code == 403
    assert client.get(IMPORT).status_code == 403
    concept = Concept.objects.get(slug="hybride")
    assert (
        client.post(f"/admin/terms/concept/{concept.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert Concept.objects.filter(slug="hybride").exists()


@pytest.mark.django_db
def test_publish_and_unpublish_actions_update_the_index(editor_client, seed):
    pk = Concept.objects.get(slug="hybride").pk
    editor_client.post(CHANGELIST, {"action": "unpublish", "_selected_action": [pk]})
    assert Concept.objects.get(pk=pk).status == "draft"
    assert not IndexEntry.objects.filter(concept_id=pk, is_published=True).exists()
    editor_client.post(CHANGELIST, {"action": "publish", "_selected_action": [pk]})
    assert IndexEntry.objects.filter(concept_id=pk, is_published=True).exists()


@pytest.mark.django_db
def test_a_forged_action_selection_changes_nothing_and_says_so(editor_client, seed):
    pk = Concept.objects.get(slug="hybride").pk
    response = editor_client.post(
        CHANGELIST, {"action": "unpublish", "_selected_action": [pk, "objects"]}, follow=True
    )
    assert response.status_code == 200
    assert '<li class="error">' in response.content.decode()
    assert Concept.objects.get(pk=pk).status == "published"


@pytest.mark.django_db
def test_oversized_uploads_are_refused_with_a_clear_message(editor_client, seed, settings):
    settings.GLOSSARY_MAX_UPLOAD_BYTES = 1000
    response = post_import(editor_client, "big.csv", b"slug,term_fr\n" + b"a,b\n" * 400, "csv")
    body = response.content.decode()
    assert "le plus gros accepté" in body or "the largest accepted" in body
    assert Concept.objects.count() == 39


@pytest.mark.django_db
def test_the_import_page_explains_missing_columns_and_empty_cells(editor_client):
    body = editor_client.get(IMPORT).content.decode()
    assert "slug" in body and "definition_en" in body
    assert "Une colonne absente n’est pas modifiée" in body or "A column you leave out" in body


@pytest.mark.django_db
def test_admin_preview_of_invalid_rows_counts_them_and_offers_no_confirm(editor_client, seed):
    response = post_import(
        editor_client, "bad.csv", b"slug,term_fr\nnouveau,\nautre,Autre\nhybride,\n", "csv"
    )
    body = response.content.decode()
    assert "2 lignes invalides : rien ne sera importé" in body
    # numbered as the spreadsheet shows them, header first
    assert "Ligne 2, colonne term_fr : Un terme dans la langue par défaut (fr)" in body
    assert "Ligne 4, colonne term_fr" in body
    assert "Confirm import" not in body and "Confirmer" not in body
    assert not Concept.objects.filter(slug="autre").exists()


@pytest.mark.django_db
def test_admin_preview_of_a_large_file_lists_the_first_200_rows(editor_client, seed):
    rows = "".join(f"nouveau-{n},Nouveau terme {n}\n" for n in range(250))
    response = post_import(editor_client, "big.csv", f"slug,term_fr\n{rows}".encode(), "csv")
    body = response.content.decode()
    assert "250 nouveau(x), 0 modifié(s), 0 inchangé(s)." in body
    assert "Les 200 premiers sur 250 sont listés." in body
    assert body.count('<tr class="new">') == 200


# -- uploads between preview and confirmation ----------------------------------------


@pytest.fixture
def upload_folder(settings, tmp_path):
    settings.GLOSSARY_UPLOAD_DIR = str(tmp_path / "uploads")
    return tmp_path / "uploads"


def stored(folder):
    return sorted(folder.iterdir()) if folder.exists() else []


def confirm_fields(body):
    return {
        name: value
        for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', body)
        if name
        in ("import_file_name", "original_file_name", "format", "resource", "csrfmiddlewaretoken")
    }


@pytest.mark.django_db
def test_a_refused_upload_leaves_nothing_behind(editor_client, seed, upload_folder):
    post_import(editor_client, "bad.csv", b"slug,term_fr,term_fr\na,A,B\n", "csv")
    post_import(editor_client, "empty.csv", b"slug,term_fr\nhybride,\n", "csv")
    post_import(editor_client, "same.csv", b"slug,term_fr\nhybride,Hybride\n", "csv")
    assert stored(upload_folder) == []


@pytest.mark.django_db
def test_a_confirmed_upload_is_removed(editor_client, seed, upload_folder):
    body = post_import(editor_client, "new.csv", b"slug,term_fr\nnouveau,Nouveau\n", "csv")
    assert len(stored(upload_folder)) == 1
    response = editor_client.post(
        "/admin/terms/concept/process_import/", confirm_fields(body.content.decode())
    )
    assert response.status_code == 302
    assert stored(upload_folder) == []
    assert Concept.objects.filter(slug="nouveau").exists()


@pytest.mark.django_db
def test_an_abandoned_preview_is_swept_away_and_cannot_be_confirmed(
    editor_client, seed, upload_folder
):
    body = post_import(editor_client, "new.csv", b"slug,term_fr\nnouveau,Nouveau\n", "csv")
    (abandoned,) = stored(upload_folder)
    an_hour_and_more = abandoned.stat().st_mtime - 3700
    os.utime(abandoned, (an_hour_and_more, an_hour_and_more))
    post_import(editor_client, "other.csv", b"slug,term_fr\nautre,Autre\n", "csv")
    assert abandoned not in stored(upload_folder)
    response = editor_client.post(
        "/admin/terms/concept/process_import/", confirm_fields(body.content.decode()), follow=True
    )
    assert "Cet aperçu a expiré" in response.content.decode()
    assert not Concept.objects.filter(slug="nouveau").exists()


@pytest.mark.django_db
def test_a_forged_upload_name_reads_nothing(editor_client, seed, upload_folder):
    response = editor_client.post(
        "/admin/terms/concept/process_import/",
        {"import_file_name": "../../etc/passwd", "original_file_name": "x.csv", "format": "0"},
        follow=True,
    )
    assert response.status_code == 200
    assert "Cet aperçu a expiré" in response.content.decode()


def test_the_preview_shows_a_replaced_word_struck_through_then_its_replacement():
    from terms.templatetags.glossary_admin import diff

    assert str(diff("draft", "published")) == "<del>draft</del> <ins>published</ins>"
    assert str(diff("Vente <b>", "Vente <i>")) == "Vente <del>&lt;b&gt;</del> <ins>&lt;i&gt;</ins>"
    assert str(diff("", "Nouveau")) == "<ins>Nouveau</ins>"


@pytest.mark.django_db
def test_the_format_is_recognised_from_the_file(editor_client, seed):
    page = editor_client.get(IMPORT).content.decode()
    assert "Reconnu d’après le fichier" in page
    for name, data in (
        ("sans-extension", b"slug;term_en\r\nhybride;Hybrid\r\n"),
        ("glossaire.csv", (DATA / "libreoffice" / "export-resaved-by-calc.xlsx").read_bytes()),
    ):
        upload = SimpleUploadedFile(name, data)
        body = editor_client.post(IMPORT, {"format": "", "import_file": upload}).content.decode()
        assert "modifié(s)" in body and "Traceback" not in body, name


@pytest.mark.django_db
def test_an_unknown_column_asks_where_it_goes_never_a_traceback(editor_client, seed):
    upload = SimpleUploadedFile("x.csv", b"slug,term_fr,couleur\na,A,rouge\n")
    body = editor_client.post(IMPORT, {"format": "", "import_file": upload}).content.decode()
    assert "Quelles colonnes importer ?" in body
    assert "Traceback" not in body and "File &quot;" not in body and ".py" not in body
    # The glossary's own columns stay where they are; the unknown one is left out unless
    # the editor says otherwise, and the preview says what was left out.
    preview = editor_client.post(IMPORT, post_data(with_values(form_fields(body)))).content
    preview = preview.decode()
    assert "<strong>slug</strong> → Identifiant, <strong>term_fr</strong> → Terme (français)" in (
        preview
    )
    assert "Cellules de la colonne « couleur », non importées : 1" in preview
    assert "1 nouveau(x)" in preview


@pytest.mark.django_db
def test_an_old_export_needs_an_explicit_confirmation(editor_client, seed, upload_folder):
    from terms.interchange.service import export_file
    from terms.writer import import_file

    old_export = export_file("csv")
    assert import_file(b"slug,definition_en\nhybride,Changed since.\n", file_name="x.csv").ok
    body = post_import(editor_client, "ancien.csv", old_export, "csv").content.decode()
    assert "1 ligne vient d’une version plus ancienne de son concept" in body
    assert "Ligne 16 (hybride) a été modifiée depuis l’export de ce fichier" in body
    fields = confirm_fields(body)
    response = editor_client.post("/admin/terms/concept/process_import/", fields)
    assert response.status_code == 200
    assert "Rien n’a été importé : confirmez" in response.content.decode()
    english = Concept.objects.get(slug="hybride").texts_by_language()["en"]
    assert english.definition == "Changed since."
    response = editor_client.post(
        "/admin/terms/concept/process_import/", {**fields, "overwrite_newer": "on"}
    )
    assert response.status_code == 302
    assert "en" not in Concept.objects.get(slug="hybride").texts_by_language()
    assert stored(upload_folder) == []


CAT_ENTRY = """<martif type="TBX" xml:lang="en"><text><body><termEntry>
    <langSet xml:lang="en"><tig><term>Customer onboarding</term></tig></langSet>
    <langSet xml:lang="fr"><tig><term>Intégration</term>
    <descrip type="context">Vu chez un client.</descrip></tig>
    </langSet></termEntry></body></text></martif>""".encode()


@pytest.mark.django_db
def test_an_entry_naming_a_concept_is_merged_only_when_the_editor_ticks_it(
    editor_client, seed, upload_folder
):
    body = post_import(editor_client, "cat.tbx", CAT_ENTRY, "tbx").content.decode()
    assert "1 entrée de ce fichier nomme un concept que le glossaire a déjà." in body
    assert "entrée 1 (« Customer onboarding ») → « Intégration » (integration)" in body
    assert "Ce que le fichier contient et que le glossaire ne garde pas" in body
    assert "Contextes (exemples d’emploi) : 1" in body
    fields = confirm_fields(body)
    response = editor_client.post("/admin/terms/concept/process_import/", fields)
    assert response.status_code == 302
    english = Concept.objects.get(slug="integration").texts_by_language()["en"]
    assert english.term != "Customer onboarding"
    body = post_import(editor_client, "cat.tbx", CAT_ENTRY, "tbx").content.decode()
    fields = {**confirm_fields(body), "merge": "entrée 1 (« Customer onboarding »)"}
    response = editor_client.post("/admin/terms/concept/process_import/", fields)
    assert response.status_code == 302
    texts = Concept.objects.get(slug="integration").texts_by_language()
    assert texts["en"].term == "Customer onboarding" and texts["fr"].definition
    assert Concept.objects.count() == 39


@pytest.mark.django_db
def test_a_file_whose_format_was_recognised_can_be_confirmed(editor_client, seed):
    # The import form offers "Reconnu d'après le fichier" first: its preview must confirm.
    upload = SimpleUploadedFile("nouveau", b"slug;term_fr\r\nnouveau;Nouveau\r\n")
    body = editor_client.post(IMPORT, {"format": "", "import_file": upload}).content.decode()
    fields = dict(form_fields(body))
    assert fields["format"] == "" and fields["import_file_name"]
    response = editor_client.post("/admin/terms/concept/process_import/", fields)
    assert response.status_code == 302
    assert Concept.objects.filter(slug="nouveau").exists()
