"""Suggestions in a real browser, as a French reader and a French editor meet them: the reader
reports a mistake from a term page's "Signaler une erreur" and suggests a term from the
footer; the editor finds both in the admin and accepts them. Only the pages are used."""

import importlib
import os
from pathlib import Path

import pytest
from django.core import mail

from tests.test_browser_editors import PASSWORD

pytestmark = pytest.mark.browser


def make_editor(username):
    from django.apps import apps
    from django.contrib.auth.models import Group, User

    # Earlier live-server tests empty the database, the group its migrations made included.
    for migration, function in (
        ("0002_glossary_editors_group", "create_editors_group"),
        ("0013_domain_permissions", "grant_domain_permissions"),
        ("0015_suggestions", "grant_suggestion_permissions"),
    ):
        getattr(importlib.import_module(f"terms.migrations.{migration}"), function)(apps, None)
    user = User.objects.create_user(
        username, password=PASSWORD, is_staff=True, email=f"{username}@example.com"
    )
    user.groups.add(Group.objects.get(name="Glossary editors"))
    return user


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: GLOSSARY_SCREENSHOTS to keep them, else the test's folder."""
    folder = Path(os.environ.get("GLOSSARY_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_reader_reports_and_suggests_and_an_editor_accepts_into_a_draft(
    live_seed, browser, shots
):
    from terms.models import Concept, Suggestion

    make_editor("edith")
    base = live_seed.url
    reader = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = reader.new_page()

    # A mistake, reported from the term page.
    page.goto(base + "/fr/terms/chargee-de-compte/")
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Signaler une erreur").is_visible()
    page.emulate_media(media="screen")
    page.get_by_role("link", name="Signaler une erreur").click()
    page.wait_for_selector("h1:text('Signaler une erreur')")
    assert page.get_by_role("textbox", name="Terme :").input_value() == "Chargé·e de compte"
    page.get_by_label("Qu’est-ce qui ne va pas ?").fill(
        "Il manque la différence avec le responsable grands comptes."
    )
    page.get_by_label("Votre nom (facultatif)").fill("Rachel")
    page.screenshot(path=str(shots / "suggest-form-1280.png"), full_page=True)
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_selector("h1:text('Merci !')")
    assert "Retour à « Chargé·e de compte »" in page.inner_text("main")
    page.screenshot(path=str(shots / "suggest-thanks-1280.png"), full_page=True)

    # A term, suggested from the footer, on a phone.
    phone = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto(base + "/fr/")
    page.get_by_role("link", name="Suggérer un terme").click()
    page.wait_for_selector("h1:text('Suggérer un terme')")
    assert no_horizontal_scroll(page)
    page.get_by_role("textbox", name="Terme :").fill("Vente croisée <b>")
    page.get_by_label("Que veut dire ce terme ?").fill(
        "Proposer à un client un produit complémentaire de celui qu’il achète."
    )
    page.screenshot(path=str(shots / "suggest-form-390.png"), full_page=True)
    page.get_by_role("button", name="Envoyer").click()
    page.wait_for_selector("h1:text('Merci !')")
    assert no_horizontal_scroll(page)
    page.screenshot(path=str(shots / "suggest-thanks-390.png"), full_page=True)
    phone.close()
    assert Suggestion.objects.count() == 2
    assert len(mail.outbox) == 2 and mail.outbox[0].to == ["edith@example.com"]

    # The editor finds both in the admin, the latest first.
    page = reader.new_page()
    page.goto(base + "/admin/login/?next=/admin/terms/suggestion/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    page.wait_for_selector("#result_list")
    rows = page.locator("#result_list tbody tr")
    assert rows.count() == 2
    assert "Vente croisée <b>" in rows.nth(0).inner_text()  # as text, never as markup
    assert "Chargé·e de compte" in rows.nth(1).inner_text()
    page.screenshot(path=str(shots / "suggest-admin-list-1280.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(shots / "suggest-admin-list-390.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    # Accepting the suggested term makes a draft and opens its form.
    rows.nth(0).get_by_role("link").first.click()
    page.wait_for_selector("fieldset")
    page.screenshot(path=str(shots / "suggest-admin-change-1280.png"), full_page=True)
    page.get_by_role("button", name="Accepter : créer un concept brouillon").click()
    page.wait_for_selector("fieldset.language-fr")
    assert "acceptée : un concept brouillon a été créé" in page.inner_text(".messagelist")
    french = page.locator("fieldset.language-fr")
    assert french.get_by_label("Terme").input_value() == "Vente croisée <b>"
    draft = Concept.objects.get(slug="vente-croisee-b")
    assert draft.status == "draft"
    page.screenshot(path=str(shots / "suggest-accepted-1280.png"), full_page=True)

    # Accepting the mistake opens the concept it is about, with what the reader wrote.
    page.goto(base + "/admin/terms/suggestion/?status__exact=new")
    page.locator("#result_list tbody tr").first.get_by_role("link").first.click()
    page.get_by_role("button", name="Accepter et corriger le concept").click()
    page.wait_for_selector("fieldset.language-fr")
    assert "responsable grands comptes" in page.inner_text(".messagelist")
    concept = Concept.objects.get(slug="chargee-de-compte")
    assert page.url.endswith(f"/admin/terms/concept/{concept.pk}/change/")
    assert set(Suggestion.objects.values_list("status", flat=True)) == {"accepted"}
    reader.close()
