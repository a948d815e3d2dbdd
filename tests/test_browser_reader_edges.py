"""The reader rough edges in Chromium: the language remembered, copy buttons, suggestions
that explain themselves, the letter bar's rows, print, and every reader page at phone and
desktop widths without horizontal scroll."""

import pytest
from django.urls import get_resolver

from tests.test_browser import console_errors

pytestmark = pytest.mark.browser

# Every reader page, by the name of its URL in terms/urls.py (and the readers' sign-in),
# with a path to open it at: a page added to the site map must be added here, so that it
# is checked at phone width too. `None`: not a page a reader scrolls (a feed, a file).
READER_PAGES = {
    "index": ["/fr/", "/en/"],
    "letter": ["/fr/letters/C/", "/en/letters/O/"],
    "detail": ["/fr/terms/chargee-du-developpement-de-compte/", "/en/terms/partage-d-ecran/"],
    "search": ["/fr/search/?q=vente", "/en/search/?q=par"],
    "domains": ["/fr/domains/"],
    "domain": ["/fr/domains/cycle-de-vie-client/"],
    "sign-in": ["/en/sign-in/"],
    "suggest": ["/fr/suggest/", "/fr/suggest/?concept=chargee-de-compte"],
    "suggest-thanks": ["/fr/suggest/thanks/"],
    "new": ["/fr/new/", "/en/new/"],
    "print": ["/fr/print/", "/en/print/"],
    "feed": None,
    "print-edition": None,
    "404": ["/fr/terms/nulle-part/"],
    "embed": ["/fr/embed/", "/en/embed/"],
    "card": ["/fr/terms/chargee-de-compte/card/"],
}
WIDTHS = (360, 1280)


def every_reader_page():
    return [path for paths in READER_PAGES.values() if paths for path in paths]


def test_the_list_of_reader_pages_names_every_page_of_the_site_map():
    names = {
        pattern.name
        for pattern in get_resolver("terms.urls").url_patterns
        if getattr(pattern, "name", None)
    }
    assert names <= set(READER_PAGES), f"add an example path for {names - set(READER_PAGES)}"


@pytest.mark.parametrize("width", WIDTHS)
def test_every_reader_page_fits_its_width_without_horizontal_scroll(live_seed, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    errors = console_errors(page)
    too_wide = []
    for path in every_reader_page():
        page.goto(live_seed.url + path)
        scroll, client = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll > client:
            too_wide.append((path, scroll, client))
    context.close()
    assert too_wide == []
    assert [error for error in errors if "404" not in error] == []


def test_choosing_english_is_remembered_across_the_root(live_seed, browser):
    context = browser.new_context(locale="fr-FR")
    page = context.new_page()
    page.goto(live_seed.url + "/")
    page.wait_for_url("**/fr/")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/")
    page.goto(live_seed.url + "/")
    page.wait_for_url("**/en/")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/")
    page.goto(live_seed.url + "/")
    page.wait_for_url("**/fr/")
    context.close()


def test_switching_language_on_an_english_only_letter_lands_on_the_french_home(live_seed, page):
    page.goto(live_seed.url + "/en/letters/O/")
    assert page.locator(".entry").count() >= 2
    page.get_by_role("link", name="Français").click()
    page.wait_for_url(lambda url: url.endswith("/fr/"))
    assert page.locator(".entry").count() > 39  # the whole index, not an empty letter
    page.goto(live_seed.url + "/en/letters/P/")
    page.get_by_role("link", name="Français").click()
    page.wait_for_url("**/fr/letters/P/")


@pytest.mark.parametrize("width", [360, 390, 768, 1280])
def test_the_letter_bar_never_leaves_the_last_letters_alone_on_a_row(live_seed, browser, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.goto(live_seed.url + "/fr/")
    tops = page.locator(".letter-bar li").evaluate_all("items => items.map(i => i.offsetTop)")
    rows = sorted(set(tops))
    last_row = tops.count(rows[-1])
    context.close()
    assert len(tops) == 27
    if width >= 1280:
        assert len(rows) == 1, "every letter on one row"
    assert last_row > 2, f"{last_row} letter(s) alone on the last of {len(rows)} rows"


def test_the_copy_buttons_copy_the_address_and_the_definition_and_say_so(live_seed, browser):
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_seed.url)
    page = context.new_page()
    errors = console_errors(page)
    page.goto(live_seed.url + "/fr/terms/hybride/")
    status = page.locator(".term__share [role=status]")
    assert status.get_attribute("aria-live") == "polite"
    page.get_by_role("button", name="Copier le lien").click()
    status.filter(has_text="Copié").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == (live_seed.url + "/fr/terms/hybride/")
    page.get_by_role("button", name="Copier la définition").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("#definition-text").inner_text().strip()
    assert copied.startswith("Combinaison")
    assert errors == []
    context.close()


def test_without_javascript_the_copy_buttons_are_plain_links(live_seed, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_seed.url + "/fr/terms/hybride/")
    assert page.get_by_role("button", name="Copier le lien").count() == 0
    page.get_by_role("link", name="Aller à la définition").click()
    page.wait_for_url("**/fr/terms/hybride/#definition")
    page.get_by_role("link", name="Lien permanent").click()
    page.wait_for_url("**/fr/terms/hybride/")
    context.close()


def test_english_suggestions_explain_a_french_match_and_never_repeat_a_term(live_seed, page):
    errors = console_errors(page)
    page.goto(live_seed.url + "/en/")
    box = page.get_by_role("combobox")
    box.press_sequentially("taux", delay=30)
    listbox = page.get_by_role("listbox")
    listbox.wait_for()
    churn = listbox.get_by_role("option").filter(has_text="Churn rate").first
    assert churn.locator(".suggestion__matched").inner_text() == (
        "found by “Taux d’attrition” (French)"
    )
    assert churn.locator(".suggestion__matched [lang=fr]").inner_text() == "Taux d’attrition"
    box.fill("")
    box.press_sequentially("partage", delay=30)
    listbox.get_by_role("option").filter(has_text="Partage de documents").first.wait_for()
    first = listbox.get_by_role("option").first
    assert first.inner_text().count("Partage d’écran") == 1
    assert first.locator(".suggestion__term").get_attribute("lang") == "fr"
    assert first.locator(".suggestion__badge").inner_text() == "not yet translated"
    box.fill("")
    box.press_sequentially("par", delay=30)
    page.wait_for_timeout(400)
    options = listbox.get_by_role("option").all_inner_texts()
    assert not any("Churn rate" in option for option in options)
    assert errors == []


def test_a_printed_term_page_shows_its_address_and_not_its_buttons(live_seed, page):
    page.goto(live_seed.url + "/en/terms/partage-d-ecran/")
    assert not page.locator(".print-only").is_visible()
    page.emulate_media(media="print")
    address = page.locator(".print-only")
    assert address.is_visible()
    assert address.inner_text() == (
        f"Address of this page: {live_seed.url}/en/terms/partage-d-ecran/"
    )
    assert not page.locator(".term__share").is_visible()
