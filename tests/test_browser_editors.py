"""The editors' side in a real browser, as a French editor meets it: the add form, history,
two editors at once, imports of real files. Only the pages are used, never hand-built posts."""

import importlib
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

DATA = Path(__file__).parent / "data"
PASSWORD = "a-long-password"


def make_editor(username):
    from django.apps import apps
    from django.contrib.auth.models import Group, User

    # Earlier live-server tests empty the database, the group its migrations made included.
    importlib.import_module("terms.migrations.0002_glossary_editors_group").create_editors_group(
        apps, None
    )
    importlib.import_module("terms.migrations.0013_domain_permissions").grant_domain_permissions(
        apps, None
    )
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name="Glossary editors"))
    return user


def sign_in(page, base, username):
    page.goto(base + "/admin/login/?next=/admin/terms/concept/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_selector("#result_list")


@pytest.fixture
def french_page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_an_editor_adds_a_bilingual_concept_on_the_first_try(live_seed, french_page, tmp_path):
    from terms.models import Concept

    make_editor("edith")
    page = french_page
    sign_in(page, live_seed.url, "edith")
    page.get_by_role("link", name="Ajouter concept").first.click()
    page.wait_for_selector("fieldset.language-fr")
    french = page.locator("fieldset.language-fr")
    english = page.locator("fieldset.language-en")
    assert page.locator("fieldset.language").count() == 2
    # Side by side at 1280 px: the English block starts right of the French one.
    assert english.bounding_box()["x"] > french.bounding_box()["x"] + 300
    french.get_by_label("Terme").fill("Vente sociale")
    french.get_by_label("Définition").fill("Vendre par les réseaux, avec l’aide d’un AE.")
    english.get_by_label("Terme").fill("Social selling")
    page.get_by_label("Pourquoi cette modification").fill("guide de vente 2025")
    page.locator("input[name=_save]").click()
    page.wait_for_selector("#result_list")
    assert "a été ajouté avec succès" in page.locator(".messagelist").inner_text()
    concept = Concept.objects.get(slug="vente-sociale")
    assert set(concept.texts_by_language()) == {"fr", "en"}
    page.screenshot(path=str(tmp_path / "added.png"))

    # Edit it, then read the change and its reason in the history.
    page.goto(f"{live_seed.url}/admin/terms/concept/{concept.pk}/change/")
    page.wait_for_selector("fieldset.language-en")
    english.get_by_label("Définition").fill("Selling through social networks.")
    page.get_by_label("Pourquoi cette modification").fill("traduction")
    page.locator("input[name=_continue]").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Historique").click()
    history = page.locator("table.concept-history").inner_text()
    assert "traduction" in history and "guide de vente 2025" in history
    assert "Définition (anglais)" in history and "Selling through social networks." in history
    assert "edith" in history
    page.goto(f"{live_seed.url}/fr/terms/vente-sociale/")
    assert page.locator("h1").inner_text().startswith("Vente sociale")


def test_an_editor_adds_a_concept_with_a_wording_to_avoid_a_note_a_source_and_two_domains(
    live_seed, french_page
):
    from terms.models import Concept

    make_editor("edith")
    page = french_page
    sign_in(page, live_seed.url, "edith")
    page.get_by_role("link", name="Ajouter concept").first.click()
    page.wait_for_selector("fieldset.language-fr")
    # The domains are boxes in the first block, named in French, side by side.
    domains = page.get_by_role("group", name="Domaines")
    assert domains.get_by_role("checkbox").count() == 6
    roles, metrics = domains.get_by_label("Rôles et équipes"), domains.get_by_label("Indicateurs")
    assert roles.bounding_box()["y"] < page.locator("fieldset.language-fr").bounding_box()["y"]
    assert domains.bounding_box()["height"] < 100, "two or three rows, not one per domain"
    french = page.locator("fieldset.language-fr")
    english = page.locator("fieldset.language-en")
    # In each language: the wordings to avoid right after the variants, note and source
    # after the definition.
    labels = [label.strip(" :\u00a0") for label in french.locator("label").all_inner_texts()]
    assert labels == [
        "Terme",
        "Acronymes",
        "Variantes",
        "À éviter",
        "Définition",
        "Note",
        "Source",
        "Ne pas lier automatiquement",
    ]
    assert french.get_by_label("Source").bounding_box()["height"] < (
        french.get_by_label("Définition").bounding_box()["height"] / 2
    )
    french.get_by_label("Terme").fill("Responsable des ventes sur le terrain")
    french.get_by_label("À éviter").fill("Commercial itinérant | Chasseur")
    french.get_by_label("Définition").fill("Vend en rencontrant les clients chez eux.")
    french.get_by_label("Note").fill("Dites « responsable des ventes sur le terrain ».")
    french.get_by_label("Source").fill("https://intranet.example.com/guide-des-ventes-2025")
    english.get_by_label("Terme").fill("Field sales representative")
    english.get_by_label("À éviter").fill("Road warrior")
    roles.check()
    metrics.check()
    page.locator("input[name=_save]").click()
    page.wait_for_selector("#result_list")
    assert "a été ajouté avec succès" in page.locator(".messagelist").inner_text()
    concept = Concept.objects.get(slug="responsable-des-ventes-sur-le-terrain")
    assert sorted(domain.slug for domain in concept.domains.all()) == ["indicateurs", "roles"]
    texts = concept.texts_by_language()
    assert texts["fr"].deprecated == ["Commercial itinérant", "Chasseur"]
    assert texts["fr"].note == "Dites « responsable des ventes sur le terrain »."
    assert texts["fr"].source == "https://intranet.example.com/guide-des-ventes-2025"
    assert texts["en"].deprecated == ["Road warrior"]

    # It is not a metric: take it out of the domain from the list, with the action.
    page.goto(f"{live_seed.url}/admin/terms/concept/?domain=indicateurs")
    assert "9 résultats" in page.locator("#changelist-search").inner_text()
    row = page.locator("#result_list tr", has=page.get_by_role("link", name=concept.slug))
    row.locator("input.action-select").check()
    page.locator("select[name=action]").select_option(label="Retirer du domaine…")
    page.locator("button[name=index]").first.click()
    page.wait_for_selector("form.domain-action")
    assert (
        "De quel domaine retirer le concept sélectionné ?" in page.locator("#content").inner_text()
    )
    page.get_by_label("Indicateurs").check()
    page.get_by_role("button", name="Retirer de ce domaine").click()
    page.wait_for_selector("#result_list")
    assert "1 concept retiré du domaine « Indicateurs »." in (
        page.locator(".messagelist").inner_text()
    )
    assert [domain.slug for domain in concept.domains.all()] == ["roles"]
    page.goto(f"{live_seed.url}/admin/terms/concept/{concept.pk}/history/")
    history = page.locator("table.concept-history").inner_text()
    assert "retiré du domaine « Indicateurs » dans l’administration" in history
    assert "Domaines : Indicateurs, Rôles et équipes → Rôles et équipes" in history


def test_two_editors_on_one_concept_lose_nothing(live_seed, browser):
    from terms.models import Concept

    make_editor("edith")
    make_editor("marc")
    hybride = Concept.objects.get(slug="hybride")
    url = f"{live_seed.url}/admin/terms/concept/{hybride.pk}/change/"
    pages = []
    for username in ("edith", "marc"):
        context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        sign_in(page, live_seed.url, username)
        page.goto(url)
        pages.append(page)
    edith, marc = pages
    edith.locator("fieldset.language-en").get_by_label("Terme").fill("Hybrid")
    edith.locator("input[name=_save]").click()
    edith.wait_for_selector("#result_list")
    marc.locator("fieldset.language-fr").get_by_label("Définition").fill("Le texte de Marc.")
    marc.locator("input[name=_continue]").click()
    marc.wait_for_load_state()
    note = marc.locator(".errornote, .errorlist").all_inner_texts()
    assert any("edith a modifié ce concept le" in text for text in note), note
    assert any("Terme (anglais) : — → Hybrid" in text for text in note), note
    french_definition = marc.locator("fieldset.language-fr").get_by_label("Définition")
    assert french_definition.input_value() == "Le texte de Marc."  # nothing lost
    texts = Concept.objects.get(slug="hybride").texts_by_language()
    assert texts["en"].term == "Hybrid" and texts["fr"].definition.startswith("Combinaison")
    # Marc read the message; saving again, he keeps Edith's term and adds his definition.
    assert marc.locator("fieldset.language-en").get_by_label("Terme").input_value() == ""
    marc.locator("fieldset.language-en").get_by_label("Terme").fill("Hybrid")
    marc.locator("input[name=_save]").click()
    marc.wait_for_selector("#result_list")
    texts = Concept.objects.get(slug="hybride").texts_by_language()
    assert texts["en"].term == "Hybrid" and texts["fr"].definition == "Le texte de Marc."
    for page in pages:
        page.context.close()


def import_through_the_page(page, base, path):
    page.goto(base + "/admin/terms/concept/import/")
    page.set_input_files("#id_import_file", str(path))
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_load_state()
    return page.locator("#content").inner_text()


def test_a_file_with_an_unknown_column_asks_where_it_goes_without_a_traceback(
    live_seed, french_page, tmp_path
):
    make_editor("edith")
    sign_in(french_page, live_seed.url, "edith")
    path = tmp_path / "couleurs.csv"
    path.write_text("slug,term_fr,couleur\nrouge,Rouge,rouge\n", encoding="utf-8")
    content = import_through_the_page(french_page, live_seed.url, path)
    assert "Quelles colonnes importer ?" in content
    assert french_page.get_by_label("couleur").input_value() == ""
    assert "Traceback" not in french_page.content() and "site-packages" not in french_page.content()


def test_a_teams_own_sheet_is_mapped_previewed_and_merged_as_the_editor_chooses(
    live_seed, french_page
):
    from terms.models import ConceptText

    make_editor("edith")
    sign_in(french_page, live_seed.url, "edith")
    path = DATA / "libreoffice" / "plain-sheet-by-calc.xlsx"
    content = import_through_the_page(french_page, live_seed.url, path)
    assert "Les colonnes de plain-sheet-by-calc.xlsx ne sont pas celles du glossaire" in content
    assert french_page.get_by_label("Anglais").input_value() == "term_en"
    assert french_page.get_by_label("Français").input_value() == "term_fr"
    french_page.get_by_label("Commentaire").select_option(label="Définition (français)")
    french_page.get_by_role("button", name="Prévisualiser avec ces colonnes").click()
    french_page.wait_for_selector(".import-summary")
    content = french_page.locator("#content").inner_text()
    assert "1 nouveau(x), 0 modifié(s), 0 inchangé(s)." in content
    assert "Lignes sans terme en fr, non importées : 1" in content
    french_page.get_by_label("ligne 2 → « Intégration » (integration)").check()
    french_page.locator("input[name=confirm]").click()
    french_page.wait_for_selector("#result_list")
    assert "Importation terminée : 1 nouveau(x), 1 modifié(s)" in (
        french_page.locator(".messagelist").inner_text()
    )
    integration = ConceptText.objects.get(concept__slug="integration", language="fr")
    assert integration.definition == "Mot de l'équipe Customer Success"
    # The next file with these columns opens with the same choices.
    import_through_the_page(french_page, live_seed.url, path)
    assert french_page.get_by_label("Commentaire").input_value() == "definition_fr"


def test_a_semicolon_csv_saved_by_libreoffice_imports(live_seed, french_page):
    from terms.models import Concept

    make_editor("edith")
    sign_in(french_page, live_seed.url, "edith")
    path = DATA / "libreoffice" / "export-saved-by-calc-semicolon-windows-1252.csv"
    content = import_through_the_page(french_page, live_seed.url, path)
    assert "Traceback" not in content
    summary = french_page.locator(".import-summary").inner_text()
    assert "nouveau(x)" in summary
    if french_page.locator("input[name=confirm]").count():
        french_page.locator("input[name=confirm]").click()
        french_page.wait_for_selector("#result_list")
        assert "Importation terminée" in french_page.locator(".messagelist").inner_text()
    assert Concept.objects.count() >= 39
