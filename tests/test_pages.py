"""Every public URL answers with the right content and status, in flat query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from terms.models import Status
from tests.conftest import make_concept


@pytest.fixture
def client():
    return Client()


def test_root_redirects_to_french_by_default(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_root_redirects_to_english_for_an_english_browser(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Location"] == "/en/"


@pytest.mark.django_db
def test_healthz_answers_ok_in_plain_text(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


@pytest.mark.django_db
def test_french_home_lists_all_39_entries(client, seed):
    response = client.get("/fr/")
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="fr">' in body
    for slug in ("chargee-de-compte", "taux-d-attrition", "pme-pmi", "vente-incitative"):
        assert f'href="/fr/terms/{slug}/"' in body
    assert "39 termes" in body


@pytest.mark.django_db
def test_home_lists_acronyms_as_index_entries_pointing_to_their_concept(client, seed):
    body = client.get("/fr/").content.decode()
    assert "CSM</span>" in body
    assert "Responsable de la réussite client</span>" in body


@pytest.mark.django_db
def test_english_home_lists_untranslated_concepts_under_their_french_term(client, seed):
    body = client.get("/en/").content.decode()
    assert '<html lang="en">' in body
    assert "Hybride" in body and "not yet translated" in body
    assert "Churn rate" in body


@pytest.mark.django_db
def test_letter_page_lists_entries_in_reader_order(client, seed):
    body = client.get("/fr/letters/R/").content.decode()
    positions = [
        body.index(t)
        for t in (
            "Rapport d’activité",
            "Responsable de la réussite client",
            "Réunion en personne",
            "Réussite client",
            "Revenu net",
        )
    ]
    assert positions == sorted(positions)


@pytest.mark.django_db
def test_letter_page_for_a_letter_without_entries_is_still_a_page(client, seed):
    response = client.get("/fr/letters/Z/")
    assert response.status_code == 200


@pytest.mark.django_db
def test_lowercase_letter_redirects_and_unknown_letter_is_404(client):
    assert client.get("/fr/letters/r/")["Location"] == "/fr/letters/R/"
    assert client.get("/fr/letters/rr/").status_code == 404
    assert client.get("/fr/letters/%C3%89/").status_code == 404


@pytest.mark.django_db
def test_term_page_shows_both_languages_and_the_definition(client, seed):
    response = client.get("/fr/terms/chargee-de-compte/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Chargé·e de compte" in body
    assert "Account executive" in body
    assert "AE" in body
    assert "Les AE se concentrent généralement" in body


@pytest.mark.django_db
def test_term_page_lists_see_also_links(client, seed):
    body = client.get("/fr/terms/interaction-indirecte/").content.decode()
    assert 'href="/fr/terms/asynchrone/"' in body


@pytest.mark.django_db
def test_english_term_page_without_english_definition_shows_the_french_one_marked(client, seed):
    body = client.get("/en/terms/chargee-de-compte/").content.decode()
    assert "<h1>Account executive" in body
    assert "Definition shown in French: not yet translated." in body
    assert 'lang="fr"' in body


@pytest.mark.django_db
def test_unknown_slug_and_draft_are_404_for_readers(client, seed):
    make_concept("secret", fr="Secret", status=Status.DRAFT)
    assert client.get("/fr/terms/nope/").status_code == 404
    assert client.get("/fr/terms/secret/").status_code == 404
    assert client.get("/fr/terms/..%2F..%2Fetc/").status_code == 404


@pytest.mark.django_db
def test_drafts_are_not_in_the_index(client, seed):
    make_concept("secret", fr="Secret bien gardé", status=Status.DRAFT)
    assert "Secret bien gardé" not in client.get("/fr/letters/S/").content.decode()


@pytest.mark.django_db
def test_editor_sees_a_draft_with_a_banner_and_an_edit_link(client, editor):
    make_concept("secret", fr="Secret", status=Status.DRAFT)
    client.force_login(editor)
    body = client.get("/fr/terms/secret/").content.decode()
    assert "Brouillon" in body
    assert "/admin/terms/concept/" in body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "first_slug"),
    [
        ("AE", "chargee-de-compte"),
        ("csm", "responsable-de-la-reussite-client"),
        ("chargee de compte", "chargee-de-compte"),
        ("Taux d'attrition", "taux-d-attrition"),
        ("REUSSITE", "reussite-client"),
        ("churn", "taux-d-attrition"),
        ("vente interne", "vente-sedentaire"),
        ("SMB", "pme-pmi"),
    ],
)
def test_search_finds_terms_and_acronyms_ignoring_case_and_accents(client, seed, query, first_slug):
    body = client.get("/fr/search/", {"q": query}).content.decode()
    assert body.index(f'href="/fr/terms/{first_slug}/"') < body.index('class="site-footer"')
    first_result = body.split('class="result"', 1)[1]
    assert f'href="/fr/terms/{first_slug}/"' in first_result.split("</li>", 1)[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query", ["", "%", "_", "'", '"', "\\", "<script>alert(1)</script>", "' OR 1=1 --", "x" * 10000]
)
def test_absurd_searches_give_a_calm_page(client, seed, query):
    response = client.get("/fr/search/", {"q": query})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>alert" not in body
    assert body.count('class="result"') < 39


@pytest.mark.django_db
def test_language_switch_stays_on_the_same_term(client, seed):
    body = client.get("/fr/terms/hybride/").content.decode()
    assert 'href="/language/en/?next=/fr/terms/hybride/"' in body
    response = client.get("/language/en/?next=/fr/terms/hybride/")
    assert response.status_code == 302 and response["Location"] == "/en/terms/hybride/"


@pytest.mark.django_db
def test_the_header_and_footer_kept_by_each_worker_are_in_the_page_language(client, seed):
    # Rendered once per worker and language (base.html's "chrome" cache): a French page
    # served first must not lend its header and footer to the English pages.
    for _round in range(2):
        french = client.get("/fr/letters/C/").content.decode()
        english = client.get("/en/letters/C/").content.decode()
        assert "Rechercher dans le glossaire" in french
        assert "Suggérer un terme" in french and 'href="/fr/suggest/"' in french
        assert "Search the glossary" in english and "Rechercher" not in english
        assert "Suggest a term" in english and 'href="/en/suggest/"' in english


@pytest.mark.django_db
def test_pages_use_no_external_resource(client, seed):
    for url in ("/fr/", "/fr/letters/A/", "/fr/terms/hybride/", "/fr/search/?q=vente"):
        body = client.get(url).content.decode()
        assert "http://" not in body.replace("http://testserver", "")
        assert "https://" not in body
        assert "<script>" not in body and "style=" not in body


def many_concepts(start, stop):
    for number in range(start, stop):
        make_concept(
            f"concept-{number}",
            fr=f"Terme {number}",
            en=f"Term {number}",
            acronyms_en=[f"T{number}"],
            definition_fr="Définition.",
        )


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/fr/", "/en/", "/fr/letters/T/", "/fr/search/?q=terme"])
def test_query_counts_do_not_grow_with_the_glossary(client, url):
    many_concepts(0, 3)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    many_concepts(3, 150)
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    # the cache generation, then for index pages: the letter bar, the entries, the
    # concept count (and on the home, the domains and three for what's new); for search:
    # typo corrections, the engine's match on names (and, when names give few
    # candidates, on definitions), labels for ranking, concepts and their texts
    assert len(large) <= len(small) <= 8, [q["sql"] for q in large.captured_queries]


@pytest.mark.django_db
def test_term_page_query_count_is_flat(client, django_assert_max_num_queries):
    hub = make_concept("hub", fr="Pivot")
    linked = [make_concept(f"l{n}", fr=f"Lien {n}") for n in range(5)]
    hub.see_also.set(linked)
    # session-less reader: cache generation, concept, its texts, the slugs its definition
    # links to, see-also ids + their index rows, mentioned-in ids + their index rows,
    # and a count when more than the page lists mention it
    with django_assert_max_num_queries(9):
        assert client.get("/fr/terms/hub/").status_code == 200
    hub.see_also.set([*linked, *[make_concept(f"m{n}", fr=f"Autre {n}") for n in range(20)]])
    with django_assert_max_num_queries(9):
        assert client.get("/fr/terms/hub/").status_code == 200


@pytest.mark.django_db
def test_404_page_is_our_own_in_the_page_language(client, seed):
    response = client.get("/en/terms/nope/")
    assert response.status_code == 404
    body = response.content.decode()
    assert '<html lang="en">' in body and "Page not found" in body
    body = client.get("/fr/terms/nope/").content.decode()
    assert "Page introuvable" in body


def test_500_page_is_our_own_in_both_languages():
    from django.template.loader import render_to_string

    body = render_to_string("500.html")
    assert "Une erreur est survenue" in body and "Something went wrong" in body
