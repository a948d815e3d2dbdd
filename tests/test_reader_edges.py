"""The rough edges a new employee met on the reader pages: suggestions that repeat or
puzzle, a language choice forgotten, a French voice on English words, a footer in jargon,
no way to copy a link or a definition, a printed sheet that says not where it came from."""

import csv
import html.parser
import io
import json

import openpyxl
import pytest
from django.test import Client

from terms.interchange.spreadsheet import export_columns
from terms.models import Concept, Status
from terms.records import ConceptRecord, Content
from terms.writer import save_concept
from tests.conftest import make_concept
from tests.pages import ElementTexts, visible_strings

pytestmark = pytest.mark.django_db


def suggestions(query, language="en"):
    response = Client().get("/api/search/", {"q": query, "lang": language})
    assert response.status_code == 200
    return json.loads(response.content)["results"]


def by_slug(results):
    return {result["slug"]: result for result in results}


# -- suggestions ----------------------------------------------------------------------------


def test_an_untranslated_suggestion_shows_its_french_term_once_and_says_it_is_french(seed):
    shared = by_slug(suggestions("partage"))["partage-d-ecran"]
    assert shared["term"] == "Partage d’écran"
    assert shared["untranslated"] is True
    assert shared["term_language"] == "fr"
    assert shared["matched"] is None  # found by the very term it shows


def test_the_english_search_page_does_not_repeat_an_untranslated_term(seed):
    body = Client().get("/en/search/", {"q": "partage"}).content.decode()
    first = body.split('class="result"')[1].split("</li>")[0]
    assert visible_strings(first).count("Partage d’écran") == 1
    assert '<a href="/en/terms/partage-d-ecran/" lang="fr">Partage d’écran</a>' in first


def test_a_french_preposition_typed_in_english_suggests_names_not_every_definition(seed):
    """`par` is a word being typed (partage, partner…), not a reason to offer *Churn rate*
    because its French definition says "par"."""
    results = suggestions("par")
    assert [result["term"] for result in results] == ["Partage d’écran", "Partage de documents"]
    assert "taux-d-attrition" not in by_slug(results)


def test_a_suggestion_found_by_its_french_term_names_that_term_and_its_language(seed):
    churn = by_slug(suggestions("taux"))["taux-d-attrition"]
    assert churn["term"] == "Churn rate"
    assert churn["matched"] == {"text": "Taux d’attrition", "language": "fr", "kind": "term"}


def test_a_suggestion_found_by_a_variant_names_the_variant(seed):
    first = suggestions("vente int")[0]
    assert first["term"] == "Inside sales"
    assert first["matched"] == {"text": "Vente interne", "language": "fr", "kind": "variant"}
    assert suggestions("vente int", "fr")[0]["matched"]["text"] == "Vente interne"


def test_a_suggestion_found_only_in_a_definition_says_which_word_and_language(seed):
    churn = by_slug(suggestions("perte"))["taux-d-attrition"]
    assert churn["matched"] == {"text": "perte", "language": "fr", "kind": "definition"}


def test_a_suggestion_found_by_the_name_it_shows_needs_no_explanation(seed):
    assert suggestions("AE")[0]["matched"] is None
    assert suggestions("churn")[0]["matched"] is None
    assert suggestions("churn", "fr")[0]["matched"] == {
        "text": "Churn rate",
        "language": "en",
        "kind": "term",
    }


def test_every_search_box_carries_the_sentences_its_suggestions_say(seed):
    body = Client().get("/fr/").content.decode()
    assert 'data-suggest-matched-name-language="trouvé par « {text} » ({language})"' in body
    assert 'data-suggest-language-en="anglais"' in body
    body = Client().get("/en/").content.decode()
    assert 'data-suggest-matched-definition-language="found in the definition ({language}): ' in (
        body
    )
    assert 'data-suggest-language-fr="French"' in body


# -- the language, remembered ---------------------------------------------------------------


def test_choosing_english_is_remembered_by_the_root_over_a_french_browser(seed):
    client = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert client.get("/")["Location"] == "/fr/"
    response = client.get("/language/en/", {"next": "/fr/"})
    assert response.status_code == 302 and response["Location"] == "/en/"
    cookie = response.cookies["django_language"]
    assert cookie.value == "en" and cookie["max-age"] == 365 * 24 * 3600
    assert cookie["samesite"] == "Lax"
    assert "no-store" in response["Cache-Control"]
    assert client.get("/")["Location"] == "/en/"
    client.get("/language/fr/", {"next": "/en/"})
    assert client.get("/")["Location"] == "/fr/"


@pytest.mark.parametrize(
    ("reading", "language", "lands_on"),
    [
        ("/en/letters/O/", "fr", "/fr/"),  # no French entry under O: the French home
        ("/en/letters/P/", "fr", "/fr/letters/P/"),
        ("/fr/letters/0-9/", "en", "/en/"),
        ("/en/terms/partage-d-ecran/", "fr", "/fr/terms/partage-d-ecran/"),
        ("/fr/domains/roles/", "en", "/en/domains/roles/"),
        ("/fr/search/?q=vente int&domain=roles", "en", "/en/search/?q=vente+int&domain=roles"),
        ("/fr/", "en", "/en/"),
    ],
)
def test_switching_language_lands_on_a_page_that_exists(seed, reading, language, lands_on):
    response = Client().get(f"/language/{language}/", {"next": reading})
    assert response["Location"] == lands_on
    assert Client().get(lands_on).status_code == 200


@pytest.mark.parametrize(
    "next_path",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "evil", "/fr/nope/", ""],
)
def test_the_switch_leads_only_to_this_sites_pages(seed, next_path):
    response = Client().get("/language/en/", {"next": next_path})
    assert response.status_code == 302 and response["Location"] == "/en/"


def test_the_switch_rebuilds_the_query_so_it_cannot_break_a_header(seed):
    response = Client().get("/language/en/", {"next": "/fr/search/?q=a\r\nSet-Cookie: x=1"})
    location = response["Location"]
    assert location.startswith("/en/search/?q=a") and "Set-Cookie%3A+x%3D1" in location
    assert "\r" not in location and "\n" not in location and "x" not in response.cookies


def test_an_unknown_language_is_a_404(seed):
    assert Client().get("/language/de/", {"next": "/fr/"}).status_code == 404


def test_the_sign_in_page_can_switch_language_in_intranet_mode(seed, settings):
    settings.GLOSSARY_REQUIRE_LOGIN = True
    client = Client()
    response = client.get("/language/en/", {"next": "/fr/sign-in/"})
    assert response["Location"] == "/en/sign-in/"
    assert client.get("/en/sign-in/").status_code == 200
    assert client.get("/en/terms/hybride/").status_code == 302, "the pages stay guarded"


# -- lang attributes ------------------------------------------------------------------------


class LanguageOfText(html.parser.HTMLParser):
    """Each visible string of a page with the language it is read in: the `lang` of its
    nearest element that has one."""

    VOID = {"input", "img", "br", "hr", "meta", "link", "source", "col", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack = []
        self.strings = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append(dict(attrs).get("lang"))

    def handle_endtag(self, tag):
        if tag not in self.VOID:
            self.stack.pop()

    def handle_data(self, data):
        if data.strip():
            language = next((lang for lang in reversed(self.stack) if lang), None)
            self.strings.append((" ".join(data.split()), language))


def read_in(page):
    """{string: the language it is read in} for the strings of the page's main content."""
    main = page.split("<main", 1)[1].split("</main>")[0]
    parser = LanguageOfText()
    parser.feed(f"<main{main}</main>")
    return dict(parser.strings)


def test_an_untranslated_english_term_page_speaks_french_only_for_the_french_words(seed):
    body = Client().get("/en/terms/partage-d-ecran/").content.decode()
    assert 'lang="en"' in body.split("<main")[0]
    languages = read_in(body)
    for interface in ("Mentioned in", "Copy link", "not yet translated", "Last updated"):
        assert languages.get(interface) is None, interface  # the page's own language
    assert languages["Partage d’écran"] == "fr"
    definition = "Possibilité de partager l’écran d’un ordinateur"
    assert next(lang for text, lang in languages.items() if text.startswith(definition)) == "fr"
    assert '<article class="term">' in body


def test_an_untranslated_term_is_not_repeated_as_its_french_translation(seed):
    body = Client().get("/en/terms/partage-d-ecran/").content.decode()
    assert visible_strings(body.split("<main")[1]).count("Partage d’écran") == 1
    # A translated concept still shows the other language's term beside its own.
    body = Client().get("/en/terms/chargee-de-compte/").content.decode()
    other = ElementTexts("p", css_class="term__other")
    other.feed(body)
    assert other.result() == ["French Chargé·e de compte"]


def test_a_translated_term_page_marks_no_language_but_the_other_ones(seed):
    body = Client().get("/fr/terms/chargee-de-compte/").content.decode()
    languages = read_in(body)
    assert languages["Account executive"] == "en"
    assert all(lang in (None, "en") for lang in languages.values())


# -- the footer's files ---------------------------------------------------------------------


def test_the_footer_offers_the_glossary_in_plain_words(seed):
    footer = Client().get("/fr/").content.decode().split('class="site-footer"')[1]
    links = ElementTexts("a")
    links.feed(footer)
    assert links.result() == [
        "en tableur (Excel)",
        "en fichier CSV",
        "pour les outils de traduction (TBX)",
        "pour le web sémantique (SKOS)",
        "Suggérer un terme",
        "Quoi de neuf",
        "Tout le glossaire, à imprimer",
    ]
    for extension in ("xlsx", "csv", "tbx", "ttl"):
        assert f'href="/exports/glossary.{extension}" download' in footer
    assert "TBX · SKOS" not in footer


@pytest.fixture
def with_a_draft(seed):
    make_concept("brouillon", fr="Terme en chantier", status=Status.DRAFT)


def test_the_spreadsheet_download_holds_the_published_glossary_in_the_admins_columns(
    with_a_draft,
):
    response = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/exports/glossary.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="glossaire-') and disposition.endswith(
        '.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert list(rows[0]) == export_columns()
    assert len(rows) == Concept.objects.published().count() == 39
    assert {row["status"] for row in rows} == {"published"}
    assert "brouillon" not in {row["slug"] for row in rows}


def test_the_excel_download_is_the_same_glossary_named_in_english_for_an_english_reader(
    with_a_draft,
):
    response = Client(HTTP_ACCEPT_LANGUAGE="en").get("/exports/glossary.xlsx")
    assert response["Content-Disposition"].startswith('attachment; filename="glossary-')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == export_columns()
    assert len(rows) == 40
    assert "Terme en chantier" not in {cell for row in rows for cell in row}


def test_a_download_is_made_once_per_version_of_the_glossary(seed, django_assert_max_num_queries):
    client = Client()
    first = client.get("/exports/glossary.csv").content
    with django_assert_max_num_queries(1):  # the generation, nothing else
        assert client.get("/exports/glossary.csv").content == first
    record = ConceptRecord(
        slug="nouveau",
        status=Status.PUBLISHED,
        contents={"fr": Content(term="Nouveau terme"), "en": Content()},
    )
    save_concept(record, reason="test")
    assert "Nouveau terme" in client.get("/exports/glossary.csv").content.decode("utf-8-sig")


# -- copy buttons and paper -----------------------------------------------------------------


def test_without_javascript_the_copy_buttons_are_a_permalink_and_a_link_to_the_definition(seed):
    body = Client().get("/fr/terms/chargee-de-compte/").content.decode()
    share = body.split('class="term__share"')[1].split("</p>")[0]
    links = ElementTexts("a")
    links.feed(share)
    assert links.result() == ["Lien permanent", "Aller à la définition"]
    assert 'href="/fr/terms/chargee-de-compte/" rel="bookmark"' in share
    assert 'data-copy-text="http://testserver/fr/terms/chargee-de-compte/"' in share
    assert 'data-copy-label="Copier le lien"' in share
    assert 'href="#definition" data-copy-from="definition-text"' in share
    assert 'data-copied="Copié"' in share and 'role="status" aria-live="polite"' in share
    assert 'id="definition"' in body and 'id="definition-text"' in body
    assert '<script src="/static/js/copy.js" defer></script>' in body


def test_a_term_without_definition_offers_no_definition_to_copy(seed):
    make_concept("sans-definition", fr="Sans définition")
    body = Client().get("/fr/terms/sans-definition/").content.decode()
    assert "data-copy-from" not in body and "Lien permanent" in body


def test_a_printed_term_page_says_its_address(seed):
    body = Client().get("/fr/terms/hybride/").content.decode()
    printed = ElementTexts("p", css_class="print-only")
    printed.feed(body)
    assert printed.result() == ["Adresse de cette page : http://testserver/fr/terms/hybride/"]


def test_links_to_untranslated_concepts_say_they_are_french(db):
    french_only = make_concept("pme", fr="PME/PMI")
    hub = make_concept(
        "segment", fr="Segment", en="Segment", see_also=[french_only], definition_fr="Vu."
    )
    make_concept("marche", fr="Marché", definition_fr="Un segment de clients.")
    body = Client().get("/en/terms/segment/").content.decode()
    assert hub.mentioned_in.exists()
    assert '<a href="/en/terms/pme/" lang="fr">PME/PMI</a>' in body
    assert '<a href="/en/terms/marche/" lang="fr">Marché</a>' in body
    french = Client().get("/fr/terms/segment/").content.decode()
    assert '<a href="/fr/terms/pme/">PME/PMI</a>' in french
