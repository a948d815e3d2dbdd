"""The glossary on paper: every published concept A–Z with its letter, acronyms, other
language and definition, no navigation, and the address and edition on each sheet."""

import gzip
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from terms.models import Concept, Status
from terms.views_news import css_string
from tests.conftest import make_concept

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return Client()


def test_the_print_page_holds_every_published_concept_a_to_z_by_letter(reader, seed):
    make_concept("brouillon", fr="Concept en cours", status=Status.DRAFT)
    page = reader.get("/fr/print/").content.decode()
    published = Concept.objects.published().with_texts()
    for concept in published:
        assert f">{concept.display_term('fr')}</span>" in page.replace("&#x27;", "'")
    assert "Concept en cours" not in page
    letters = re.findall(r'<h2 id="paper-letter-\d+">(.+?)</h2>', page)
    assert letters == sorted(letters) and {"A", "C", "V"} <= set(letters)
    assert page.index(">Cycle de vente</span>") < page.index(">Vente incitative</span>")
    assert '>Chargé·e de compte</span> <span class="paper__acronyms" lang="en">(AE)</span>' in page
    assert 'Anglais : <span lang="en">Upsell</span>' in page
    assert "une technique utilisée pour amener le client à dépenser davantage" in page
    assert f"{published.count()} termes" in page


def test_the_print_page_has_no_navigation_but_says_where_it_comes_from(reader, seed, settings):
    settings.GLOSSARY_BASE_URL = "https://glossaire.example.com"
    page = reader.get("/fr/print/").content.decode()
    assert 'role="search"' not in page and "letter-bar" not in page
    assert "site-header" not in page and "site-footer" not in page
    assert "Toujours à jour à l’adresse" in page
    assert "https://glossaire.example.com/fr/print/" in page
    assert re.search(r"Édition du \d{1,2} \w+ 20\d\d", page)
    assert '<link rel="stylesheet" href="/fr/print/edition.css" media="print">' in page


def test_each_sheet_names_the_address_the_edition_and_its_page(reader, seed, settings):
    settings.GLOSSARY_BASE_URL = "https://glossaire.example.com"
    response = reader.get("/fr/print/edition.css")
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert "@page" in css and "@bottom-left" in css and "counter(pages)" in css
    assert "Glossaire des ventes · https://glossaire.example.com/fr/print/" in css
    assert re.search(r'"Édition du \d{1,2} \w+ 20\d\d · page " counter\(page\)', css)
    assert "Sales glossary · https://glossaire.example.com/en/print/" in (
        reader.get("/en/print/edition.css").content.decode()
    )


def test_a_css_string_cannot_be_closed_by_what_it_holds():
    assert css_string('a "b" \\ c\nd </style>') == '"a \\22 b\\22  \\5c  c\\a d \\3c /style\\3e "'


def test_an_english_page_prints_english_first_and_french_where_untranslated(reader, seed):
    page = reader.get("/en/print/").content.decode()
    assert ">Upsell</span>" in page and 'French: <span lang="fr">Vente incitative</span>' in page
    assert '<span lang="fr">PME/PMI</span>' in page


def test_the_print_page_is_cached_gzipped_and_fresh_after_an_edit(
    reader, seed, django_assert_num_queries
):
    plain = reader.get("/fr/print/")
    assert "Accept-Encoding" in plain["Vary"]
    zipped = reader.get("/fr/print/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert zipped["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.content) == plain.content
    with django_assert_num_queries(1):
        again = reader.get("/fr/print/", HTTP_ACCEPT_ENCODING="gzip")
    assert again.content == zipped.content
    make_concept("nouveau", fr="Terme tout neuf", definition_fr="Arrivé à l’instant.")
    fresh = reader.get("/fr/print/", HTTP_ACCEPT_ENCODING="gzip")
    assert "Terme tout neuf" in gzip.decompress(fresh.content).decode()


def test_the_print_page_reads_the_glossary_in_a_fixed_number_of_queries(reader):
    for number in range(3):
        make_concept(f"c{number}", fr=f"Terme {number}", definition_fr="Un.")
    with CaptureQueriesContext(connection) as small:
        reader.get("/fr/print/")
    for number in range(3, 120):
        make_concept(f"c{number}", fr=f"Terme {number}", en=f"Term {number}")
    with CaptureQueriesContext(connection) as large:
        assert reader.get("/fr/print/").content.decode().count('class="paper__entry"') == 120
    # the cache generation, the index's term rows, the texts, the edition's generation
    assert len(large) == len(small) <= 4, [q["sql"] for q in large.captured_queries]


def test_an_empty_glossary_prints_a_sentence_not_a_blank_sheet(reader):
    assert "Le glossaire est vide pour l’instant." in reader.get("/fr/print/").content.decode()
