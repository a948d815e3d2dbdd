"""The reader pages in a real browser: keyboard, language switch, phone width, console."""

import pytest

pytestmark = pytest.mark.browser

PAGES = ["/fr/", "/en/", "/fr/letters/C/", "/fr/terms/chargee-du-developpement-de-compte/",
         "/en/terms/pme-pmi/", "/fr/search/?q=vente"]  # fmt: skip


def console_errors(page):
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return errors


def tab_to(page, predicate, limit=80):
    """Press Tab until the focused element satisfies `predicate`; fail after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => ({text: document.activeElement.textContent.trim(),"
            " href: document.activeElement.getAttribute('href') || ''})"
        )
        if predicate(focused):
            return focused
    raise AssertionError("never reached the element by keyboard")


def test_keyboard_only_from_the_letter_bar_to_a_term_and_back(live_seed, page):
    page.goto(live_seed.url + "/fr/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    tab_to(page, lambda f: f["href"] == "/fr/letters/C/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/letters/C/")
    tab_to(page, lambda f: f["href"] == "/fr/terms/chargee-de-compte/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/terms/chargee-de-compte/")
    assert page.locator("h1").inner_text().startswith("Chargé·e de compte")
    tab_to(page, lambda f: f["href"] == "/fr/letters/C/")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/letters/C/")


def test_the_skip_link_moves_focus_to_the_main_content(live_seed, page):
    page.goto(live_seed.url + "/fr/terms/hybride/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_a_printed_term_page_is_the_term_alone(live_seed, page):
    page.goto(live_seed.url + "/fr/terms/hybride/")
    page.emulate_media(media="print")
    for chrome in (".site-header", ".breadcrumb", ".site-footer", ".search-form"):
        assert not page.locator(chrome).first.is_visible(), chrome
    assert page.locator("h1").is_visible()
    assert "Combinaison" in page.locator("main").inner_text()


def test_language_switch_stays_on_the_same_term(live_seed, page):
    page.goto(live_seed.url + "/fr/terms/chargee-de-compte/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/terms/chargee-de-compte/")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("h1").inner_text().startswith("Account executive")
    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/terms/chargee-de-compte/")


@pytest.mark.parametrize("path", PAGES)
def test_phone_width_has_no_horizontal_scroll_and_no_console_error(live_seed, browser, path):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    errors = console_errors(page)
    page.goto(live_seed.url + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []
    context.close()


def test_search_form_works_without_javascript(live_seed, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_seed.url + "/fr/")
    page.get_by_label("Rechercher dans le glossaire").fill("onboarding")
    page.keyboard.press("Enter")
    page.wait_for_url("**/fr/search/?q=onboarding")
    assert page.locator(".result a").first.inner_text() == "Intégration"
    context.close()


def test_suggestions_while_typing_are_a_keyboard_combobox(live_seed, page):
    errors = console_errors(page)
    page.goto(live_seed.url + "/fr/")
    box = page.get_by_role("combobox", name="Rechercher dans le glossaire")
    box.press_sequentially("csm", delay=30)
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    first = listbox.get_by_role("option").first
    assert first.inner_text().startswith("Responsable de la réussite client")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    box.press("Enter")
    page.wait_for_url("**/fr/terms/responsable-de-la-reussite-client/")
    assert errors == []


def test_escape_closes_the_suggestions_and_enter_submits_the_form(live_seed, page):
    page.goto(live_seed.url + "/en/")
    box = page.get_by_role("combobox")
    box.press_sequentially("vente", delay=30)
    page.get_by_role("listbox").wait_for()
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("Enter")
    page.wait_for_url("**/en/search/?q=vente")
    assert page.locator(".result").count() >= 4


def test_an_editor_imports_a_spreadsheet_through_the_admin(live_seed, page, tmp_path):
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group, User

    # Earlier live-server tests empty the database, the group its migration made included.
    migration = importlib.import_module("terms.migrations.0002_glossary_editors_group")
    migration.create_editors_group(apps, None)

    from terms.models import ConceptText

    user = User.objects.create_user("edith", password="a-long-password", is_staff=True)
    user.groups.add(Group.objects.get(name="Glossary editors"))
    upload = tmp_path / "traduction.csv"
    upload.write_bytes(
        "slug;term_en;definition_en\r\nhybride;Hybrid;Synchronous only.\r\n".encode("cp1252")
    )

    page.goto(live_seed.url + "/admin/login/?next=/admin/terms/concept/")
    page.fill("#id_username", "edith")
    page.fill("#id_password", "a-long-password")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/terms/concept/")
    page.locator("a[href='/admin/terms/concept/import/']").click()
    page.set_input_files("#id_import_file", str(upload))
    page.select_option("#id_format", label="csv")
    page.locator("input[type=submit]").first.click()
    page.wait_for_selector("text=Synchronous only.")
    assert not ConceptText.objects.filter(concept__slug="hybride", language="en").exists()
    page.locator("input[name=confirm], input[type=submit]").last.click()
    page.wait_for_url("**/admin/terms/concept/")
    assert ConceptText.objects.get(concept__slug="hybride", language="en").term == "Hybrid"
    page.goto(live_seed.url + "/en/terms/hybride/")
    assert page.locator("h1").inner_text().startswith("Hybrid")


def test_a_reader_signs_in_in_french_and_reaches_a_term(live_seed, page, settings):
    from django.contrib.auth.models import User

    settings.GLOSSARY_REQUIRE_LOGIN = True
    User.objects.create_user("rachel", password="a-long-password")  # neither staff nor editor
    errors = console_errors(page)
    page.goto(live_seed.url + "/fr/terms/hybride/")
    page.wait_for_url("**/fr/sign-in/?next=/fr/terms/hybride/")
    assert page.locator("h1").inner_text() == "Se connecter"
    page.get_by_label("Nom d’utilisateur").fill("rachel")
    page.get_by_label("Mot de passe").fill("a-long-password")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/fr/terms/hybride/")
    assert page.locator("h1").inner_text().startswith("Hybride")
    page.get_by_role("link", name="Se déconnecter").click()
    page.wait_for_url("**/fr/sign-out/")
    assert "Session ouverte au nom de rachel." in page.locator("main").inner_text()
    page.get_by_role("button", name="Se déconnecter").click()
    assert page.locator("h1").inner_text() == "Session fermée"
    page.goto(live_seed.url + "/fr/terms/hybride/")
    page.wait_for_url("**/fr/sign-in/?next=/fr/terms/hybride/")
    assert errors == []


@pytest.fixture
def live_terminology(live_seed):
    """The seed with « Vente interne » as a wording to avoid, a note, a source and domains."""
    from terms.models import Domain, GlossaryState
    from terms.writer import import_file

    rows = (
        "slug,domains,variants_fr,deprecated_fr,note_fr,source_fr\n"
        "vente-sedentaire,facons-de-vendre,,Vente interne,Dites « vente sédentaire ».,"
        "https://intranet.example/playbook\n"
        "vente-en-ligne,facons-de-vendre,,,,\n"
        "chargee-de-compte,roles,,,,\n"
    )
    assert import_file(rows.encode(), file_name="x.csv").ok
    Domain.objects.filter(slug="facons-de-vendre").update(names={"fr": "Façons de vendre"})
    GlossaryState.bump()
    return live_seed


def test_a_wording_to_avoid_reads_as_such_in_the_index_search_and_term_page(live_terminology, page):
    errors = console_errors(page)
    page.goto(live_terminology.url + "/fr/letters/V/")
    entry = page.locator(".entry--deprecated")
    assert " ".join(entry.inner_text().split()) == "Vente interne à éviter → dites Vente sédentaire"
    wording = entry.locator(".entry__alias")
    assert "line-through" in wording.evaluate("e => getComputedStyle(e).textDecorationLine")
    variant_style = page.locator(".entry--variant .entry__alias").first.evaluate(
        "e => getComputedStyle(e).textDecorationLine"
    )
    assert "line-through" not in variant_style
    entry.get_by_role("link").click()
    page.wait_for_url("**/fr/terms/vente-sedentaire/")
    assert page.locator(".term__deprecated").inner_text() == "À éviter : Vente interne"
    assert page.locator("h1").inner_text() == "Vente sédentaire"
    source = page.get_by_role("link", name="https://intranet.example/playbook")
    assert source.get_attribute("rel") == "noopener"

    page.get_by_label("Rechercher dans le glossaire").fill("vente interne")
    page.get_by_role("button", name="Rechercher").click()
    page.wait_for_url("**/fr/search/?q=vente+interne")
    assert page.locator(".result__avoided").first.inner_text() == (
        "« Vente interne » est à éviter : dites « Vente sédentaire »"
    )
    assert errors == []


def test_suggestions_find_a_wording_to_avoid(live_terminology, page):
    page.goto(live_terminology.url + "/fr/")
    page.get_by_role("combobox").press_sequentially("vente inter", delay=30)
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    first = listbox.get_by_role("option").first
    assert first.inner_text().startswith("Vente sédentaire")
    assert first.locator(".suggestion__avoided").inner_text() == (
        "« Vente interne » est à éviter : dites « Vente sédentaire »"
    )


def test_a_reader_goes_from_the_home_to_a_domain_and_filters_a_search_without_javascript(
    live_terminology, browser
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_terminology.url + "/fr/")
    page.locator(".home-domains").get_by_role("link", name="Façons de vendre").click()
    page.wait_for_url("**/fr/domains/facons-de-vendre/")
    assert page.locator("h1").inner_text() == "Façons de vendre"
    in_domain = in_domain_terms("facons-de-vendre")
    assert page.locator(".entry").all_inner_texts() == in_domain  # A–Z, as the index sorts
    page.goto(live_terminology.url + "/fr/search/?q=vente")
    everywhere = page.locator(".result h2 a").all_inner_texts()
    page.get_by_label("Domaine").select_option(label="Façons de vendre")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/fr/search/?q=vente&domain=facons-de-vendre")
    filtered = page.locator(".result h2 a").all_inner_texts()
    # Exactly the results of the domain (how ties rank differs between SQLite and PostgreSQL).
    assert "Vente sédentaire" in filtered and "Vente en ligne" in filtered
    assert set(filtered) == {title for title in everywhere if title in in_domain}
    assert len(filtered) < len(everywhere)
    context.close()


def in_domain_terms(slug):
    """The French terms of a domain's published concepts, in the index's order."""
    from terms import text
    from terms.models import Concept

    concepts = Concept.objects.published().filter(domains__slug=slug).prefetch_related("texts")
    return sorted((c.display_term("fr") for c in concepts), key=text.sort_key)


TERMINOLOGY_PAGES = ["/fr/domains/", "/fr/domains/facons-de-vendre/",
                     "/fr/terms/vente-sedentaire/", "/fr/search/?q=vente+interne"]  # fmt: skip


@pytest.mark.parametrize("path", TERMINOLOGY_PAGES)
def test_domain_and_terminology_pages_fit_a_phone(live_terminology, browser, path):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    errors = console_errors(page)
    page.goto(live_terminology.url + path)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []
    context.close()
