"""The concept list in Chromium, at 1280 px as a new editor saw it, and on a phone: every
column in view, the buttons beside the title never over it."""

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


def test_the_other_pages_of_the_concepts_fit_a_phone(open_admin):
    from terms.models import Concept

    page = open_admin(360)
    first = Concept.objects.order_by("slug").first()
    for path in ("progress/", "deleted/", f"{first.pk}/delete/"):
        page.goto(page.url.split(CHANGELIST)[0] + CHANGELIST + path)
        assert page.locator("#content h1").is_visible(), path
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
    assert page.errors == []
