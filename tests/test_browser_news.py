"""What's new, its feed and the glossary on paper, in Chromium: an editor's change reaches
the feed at once, and the printed PDF holds every published concept and no navigation."""

import io
import re

import feedparser
import pypdf
import pytest

from tests.test_browser_editors import make_editor, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def french_page(browser):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def test_an_edit_in_the_admin_reaches_whats_new_and_the_feed_at_once(live_seed, french_page):
    from terms.models import Concept

    page = french_page
    before = feedparser.parse(page.request.get(live_seed.url + "/fr/feed/").body())
    assert not before.bozo and len(before.entries) == 30
    make_editor("edith")
    sign_in(page, live_seed.url, "edith")
    concept = Concept.objects.get(slug="hybride")
    page.goto(f"{live_seed.url}/admin/terms/concept/{concept.pk}/change/")
    page.locator("fieldset.language-fr").get_by_label("Définition").fill(
        "Vente qui combine le terrain et la visioconférence."
    )
    page.get_by_label("Pourquoi cette modification").fill("définition plus courte")
    page.locator("input[name=_save]").click()
    page.wait_for_selector("#result_list")

    feed = feedparser.parse(page.request.get(live_seed.url + "/fr/feed/").body())
    assert not feed.bozo, feed.bozo_exception
    assert feed.entries[0].title == "Hybride · Définition modifiée (français)"
    assert feed.entries[0].summary == "Vente qui combine le terrain et la visioconférence."
    assert feed.entries[0].link == f"{live_seed.url}/fr/terms/hybride/"

    page.goto(live_seed.url + "/fr/")
    news = page.locator(".home-news")
    assert news.get_by_role("heading").inner_text() == "Quoi de neuf"
    assert news.locator(".news__item").first.inner_text().startswith("Hybride")
    news.get_by_role("link", name="Tous les changements récents").click()
    page.wait_for_url("**/fr/new/")
    first = page.locator(".news__item").first
    assert "Définition modifiée (français)" in first.inner_text()
    first.get_by_role("link", name="Hybride").click()
    page.wait_for_url("**/fr/terms/hybride/")


def pdf_text(pdf_bytes):
    reader = pypdf.PdfReader(io.BytesIO(pdf_bytes))
    return [re.sub(r"\s+", " ", sheet.extract_text()) for sheet in reader.pages]


def test_the_printed_glossary_holds_every_published_concept_and_no_navigation(
    live_seed, french_page, settings, tmp_path
):
    from terms.models import Concept, Status
    from tests.conftest import make_concept

    make_concept("brouillon", fr="Concept en cours de rédaction", status=Status.DRAFT)
    page = french_page
    page.goto(live_seed.url + "/fr/")
    page.get_by_role("link", name="Tout le glossaire, à imprimer").click()
    page.wait_for_url("**/fr/print/")
    assert page.get_by_role("button", name="Imprimer").is_visible()
    page.emulate_media(media="print")
    assert not page.get_by_role("link", name="Retour au glossaire").is_visible()
    sheets = pdf_text(page.pdf(prefer_css_page_size=True))
    (tmp_path / "glossary.pdf").write_bytes(page.pdf(prefer_css_page_size=True))
    text = " ".join(sheets)
    published = Concept.objects.published().with_texts()
    missing = [c.display_term("fr") for c in published if c.display_term("fr") not in text]
    assert missing == []
    assert "Concept en cours de rédaction" not in text
    for navigation in ("Retour au glossaire", "Rechercher", "Imprimer", "Suggérer un terme"):
        assert navigation not in text
    # A page per letter at least, each saying where it comes from, which edition, which page.
    letters = page.locator(".paper__letter").count()
    assert len(sheets) >= letters
    address = settings.GLOSSARY_BASE_URL + "/fr/print/"
    for number, sheet in enumerate(sheets, start=1):
        assert address in sheet, sheet[-300:]
        assert re.search(rf"Édition du \d+ \w+ 20\d\d · page {number} / {len(sheets)}", sheet)
