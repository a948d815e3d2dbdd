"""The concept list and the export screen in Chromium, at 1280 px as a new editor saw them,
and on a phone: every column in view, the buttons beside the title never over it."""

import re

import pytest

from tests.test_browser_editors import make_editor, sign_in

pytestmark = pytest.mark.browser

CHANGELIST = "/admin/terms/concept/"


@pytest.fixture
def open_admin(live_seed, browser):
    """A signed-in editor's page at a given width: open_admin(1280) → page on the list."""
    contexts = []

    def open_at(width):
        if not contexts:
            make_editor("edith")
        context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        sign_in(page, live_seed.url, "edith")
        return page

    yield open_at
    for context in contexts:
        context.close()


def overlaps(a, b):
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


def test_the_concept_list_fits_1280_pixels(open_admin):
    page = open_admin(1280)
    for column in ("status", "updated"):
        header = page.locator(f"#result_list th.column-{column}").bounding_box()
        assert header["x"] >= 0 and header["x"] + header["width"] <= 1280, column
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
    assert (
        page.locator("#result_list").bounding_box()["width"]
        <= page.locator("#changelist .results").bounding_box()["width"]
    )
    headers = page.locator("#result_list thead th").all_text_contents()
    assert [h.strip() for h in headers if h.strip()][1:5] == [
        "Terme (français)",
        "Acronymes (français)",
        "Terme (anglais)",
        "Acronymes (anglais)",
    ]
    assert page.locator("#site-name").text_content().strip() == "Glossaire — administration"
    assert page.errors == []


@pytest.mark.parametrize("width", [1280, 1024, 800, 360])
def test_the_buttons_beside_the_title_never_cover_it(open_admin, width):
    page = open_admin(width)
    title = page.locator("#content h1")
    assert title.text_content() == "Concepts"
    tools = page.locator("#content .object-tools a")
    assert tools.count() == 5
    for box in (tools.nth(i).bounding_box() for i in range(tools.count())):
        assert not overlaps(box, title.bounding_box())
        assert box["x"] + box["width"] <= width
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_export_screen_ticks_every_column_at_once_and_downloads_a_dated_csv(open_admin):
    page = open_admin(1280)
    page.get_by_role("link", name="Exporter").click()
    page.wait_for_selector("form.glossary-export")
    assert page.get_by_label("Format").input_value() == page.locator(
        "#id_format option", has_text="CSV (UTF-8, virgules)"
    ).get_attribute("value")
    every = page.get_by_label("Toutes les colonnes")
    columns = page.locator(".export-column-list input[type=checkbox]")
    every.uncheck()
    assert not any(columns.nth(i).is_checked() for i in range(columns.count()))
    page.get_by_label("Terme (français)", exact=True).check()
    page.get_by_label("Identifiant").check()
    assert every.evaluate("box => box.indeterminate")
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger le fichier").click()
    assert re.fullmatch(r"glossaire-\d{4}-\d{2}-\d{2}\.csv", download.value.suggested_filename)
    header = download.value.path().read_bytes().decode("utf-8-sig").split("\r\n")[0]
    assert header == "slug,term_fr"
    every.check()
    assert all(columns.nth(i).is_checked() for i in range(columns.count()))
    assert page.errors == []


def test_the_other_pages_of_the_concepts_fit_a_phone(open_admin):
    from terms.models import Concept

    page = open_admin(360)
    first = Concept.objects.order_by("slug").first()
    for path in ("export/", "progress/", "deleted/", f"{first.pk}/delete/"):
        page.goto(page.url.split(CHANGELIST)[0] + CHANGELIST + path)
        assert page.locator("#content h1").is_visible(), path
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    assert page.errors == []
