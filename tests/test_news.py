"""What's new and its Atom feed: only published content, only published changes, each said
in words, newest first, cached and never stale."""

import html

import feedparser
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from terms import news
from terms.models import Concept, Status
from terms.records import load_records
from terms.writer import import_file, save_concept, set_status
from tests.conftest import make_concept

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return Client()


def edit(concept, language, **parts):
    """Save `concept` through the writer with `parts` changed in `language`."""
    record = load_records([concept.pk])[concept.pk]
    contents = dict(record.contents)
    contents[language] = contents[language].__class__(**{**contents[language].__dict__, **parts})
    save_concept(
        record.__class__(**{**record.__dict__, "contents": contents}), concept_id=concept.pk
    )


def items_of(language):
    """The concepts "what's new" lists in `language`, in order, with their changes."""
    with translation.override(language):
        return [
            (item.label, [change.text for change in item.changes]) for item in news.latest(language)
        ]


def test_a_new_glossary_lists_its_concepts_as_new():
    make_concept("churn", fr="Attrition", en="Churn")
    make_concept("demo", fr="Démonstration")
    page = Client().get("/fr/new/").content.decode()
    assert "Quoi de neuf" in page
    assert page.index("Démonstration") < page.index("Attrition")  # newest first
    assert page.count("Nouveau") == 2


def test_each_change_says_what_it_changed_for_readers():
    churn = make_concept("churn", fr="Attrition", definition_fr="Perte de clients.")
    demo = make_concept("demo", fr="Démonstration")
    edit(churn, "fr", definition="Perte de clients sur une période.")
    edit(demo, "en", term="Demo")
    assert items_of("fr") == [
        ("Démonstration", ["Traduit (anglais)"]),
        ("Attrition", ["Définition modifiée (français)"]),
    ]
    edit(demo, "fr", term="Démo", definition="Présentation du produit.")
    assert items_of("en")[0] == ("Demo", ["Term changed (French)", "Definition added (French)"])


def test_drafts_and_changes_made_while_a_draft_never_show():
    make_concept("brouillon", fr="En cours", status=Status.DRAFT)
    churn = make_concept("churn", fr="Attrition", definition_fr="Perte.")
    set_status([churn.pk], Status.DRAFT)
    edit(churn, "fr", definition="Texte que personne n’a lu.")
    assert news.latest("fr") == []
    assert "En cours" not in Client().get("/fr/new/").content.decode()
    set_status([churn.pk], Status.PUBLISHED)
    # Readers saw "Perte." before: what changed for them is the definition.
    assert items_of("fr") == [("Attrition", ["Définition modifiée (français)"])]


def test_a_draft_published_for_the_first_time_is_new():
    draft = make_concept("brouillon", fr="En cours", status=Status.DRAFT)
    edit(draft, "fr", definition="Écrit en brouillon.")
    set_status([draft.pk], Status.PUBLISHED)
    assert items_of("fr") == [("En cours", ["Nouveau"])]


def test_a_concept_changed_twice_is_listed_once_with_its_latest_change():
    churn = make_concept("churn", fr="Attrition", definition_fr="Un.")
    edit(churn, "fr", definition="Deux.")
    edit(churn, "en", term="Churn")
    assert items_of("fr") == [("Attrition", ["Traduit (anglais)"])]


def test_an_untranslated_concept_is_named_in_its_own_language_with_its_lang(reader):
    make_concept("pme", fr="PME/PMI", definition_fr="Petites et moyennes entreprises.")
    page = reader.get("/en/new/").content.decode()
    assert '<a href="/en/terms/pme/" lang="fr">PME/PMI</a>' in page
    assert '<p class="news__definition" lang="fr">' in page


def test_the_home_page_shows_the_latest_few_and_links_to_all(reader):
    for number in range(news.HOME_LIMIT + 2):
        make_concept(f"c{number}", fr=f"Terme {number}")
    page = reader.get("/fr/").content.decode()
    news_section = page[page.index('class="home-news"') : page.index("</section>")]
    assert news_section.count('class="news__item"') == news.HOME_LIMIT
    assert f"Terme {news.HOME_LIMIT + 1}" in news_section and "Terme 0" not in news_section
    assert 'href="/fr/new/"' in news_section and 'href="/fr/feed/"' in news_section


def test_every_reader_page_announces_the_feed(reader, published_concept):
    page = reader.get("/fr/terms/churn/").content.decode()
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert 'href="/fr/feed/"' in page


def test_the_feed_is_valid_atom_of_the_same_changes(reader):
    make_concept("churn", fr="Attrition", en="Churn", definition_fr="Perte de clients.")
    make_concept("brouillon", fr="En cours", status=Status.DRAFT)
    response = reader.get("/fr/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    assert feed.feed.title == "Quoi de neuf dans le glossaire des ventes"
    assert feed.feed.language == "fr"
    [entry] = feed.entries
    assert entry.title == "Attrition · Nouveau"
    assert entry.link == "http://testserver/fr/terms/churn/"
    assert entry.summary == "Perte de clients."
    assert entry.id.startswith("tag:testserver,2026:churn/")
    assert feedparser.parse(reader.get("/en/feed/").content).entries[0].title == "Churn · New"


def test_the_feed_follows_an_edit_at_once_with_a_new_entry_id(reader):
    churn = make_concept("churn", fr="Attrition", definition_fr="Perte.")
    first = feedparser.parse(reader.get("/fr/feed/").content).entries[0]
    edit(churn, "fr", definition="Perte de clients sur une période.")
    entry = feedparser.parse(reader.get("/fr/feed/").content).entries[0]
    assert entry.title == "Attrition · Définition modifiée (français)"
    assert entry.summary == "Perte de clients sur une période."
    assert entry.id != first.id and entry.updated_parsed >= first.updated_parsed


def test_a_definition_holding_markup_reads_as_text_in_feed_readers(reader):
    make_concept("xss", fr="Balise", definition_fr="<script>alert(1)</script> & <b>gras</b>")
    entry = feedparser.parse(reader.get("/fr/feed/").content).entries[0]
    # The summary is HTML whose rendering is the definition's text, markup and all.
    assert entry.summary == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;gras&lt;/b&gt;"
    assert html.unescape(entry.summary) == "<script>alert(1)</script> & <b>gras</b>"
    page = reader.get("/fr/new/").content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert" not in page


def test_an_import_shows_in_whats_new(reader, seed):
    reader.get("/fr/new/")
    assert import_file(b"slug,definition_fr\nhybride,Tout neuf.\n", file_name="x.csv").ok
    page = reader.get("/fr/new/").content.decode()
    first = page[page.index('class="news__item"') :]
    assert (
        first.index("Hybride")
        < first.index("Définition modifiée (français)")
        < first.index("Tout neuf.")
    )


@pytest.mark.parametrize("url", ["/fr/new/", "/fr/feed/", "/fr/"])
def test_query_counts_do_not_grow_with_the_history(reader, url):
    concepts = [make_concept(f"c{n}", fr=f"Terme {n}", definition_fr="Un.") for n in range(3)]
    with CaptureQueriesContext(connection) as small:
        reader.get(url)
    concepts += [make_concept(f"d{n}", fr=f"Mot {n}", definition_fr="Un.") for n in range(60)]
    for concept in concepts[::3]:
        edit(concept, "fr", definition="Deux.")
    with CaptureQueriesContext(connection) as large:
        reader.get(url)
    assert len(large) <= len(small) <= 10, [q["sql"] for q in large.captured_queries]


def test_a_cached_whats_new_costs_one_query(reader, published_concept, django_assert_num_queries):
    reader.get("/fr/new/")
    reader.get("/fr/feed/")
    with django_assert_num_queries(1):
        assert "Taux d’attrition" in reader.get("/fr/new/").content.decode()
    with django_assert_num_queries(1):
        reader.get("/fr/feed/")


def test_a_deleted_concept_leaves_whats_new(reader, published_concept):
    assert "Taux d’attrition" in reader.get("/fr/new/").content.decode()
    Concept.objects.filter(pk=published_concept.pk).delete()
    assert "Taux d’attrition" not in reader.get("/fr/new/").content.decode()


def test_the_feed_is_sent_in_one_piece_not_element_by_element(reader, published_concept):
    # The syndication framework writes a feed element by element; the WSGI server would
    # send each piece in a write of its own, which made the feed five times slower.
    for _request in range(2):
        assert len(list(reader.get("/fr/feed/"))) == 1
