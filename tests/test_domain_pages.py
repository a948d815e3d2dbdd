"""Domains as readers browse them: the list with counts, the A–Z of one domain, the home's
links, the search filter; cached, never stale, in flat query counts."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from terms.models import Concept, Domain, GlossaryState
from terms.writer import import_file
from tests.pages import texts_of

ROWS = """slug,status,domains,term_fr,acronyms_fr,deprecated_fr,definition_fr,term_en
chargee-de-compte,published,roles,Chargé·e de compte,,,Gère des comptes.,Account executive
responsable-des-ventes,published,roles,Responsable des ventes,,,Dirige l’équipe.,Sales manager
echelle-de-remise,published,roles | metrics,Échelle de remise,,,Barème.,Discount ladder
developpeur-commercial,published,roles,Développeur·se commercial·e,SDR,,Prospecte.,
taux-d-attrition,published,metrics,Taux d’attrition,,Taux de churn,Perte de clients.,Churn rate
vente-sedentaire,published,ways-of-selling,Vente sédentaire,,Vente interne,À distance.,Inside sales
en-chantier,draft,roles,Rôle en chantier,,,Pas prêt.,
hybride,published,,Hybride,,,Sans domaine.,Hybrid
"""


@pytest.fixture
def reader():
    return Client()


@pytest.fixture
def glossary(db):
    report = import_file(ROWS.encode(), file_name="x.csv")
    assert report.ok, report.problems
    Domain.objects.filter(slug="roles").update(names={"fr": "Rôles", "en": "Roles"})
    Domain.objects.filter(slug="metrics").update(names={"fr": "Indicateurs", "en": "Metrics"})
    Domain.objects.filter(slug="ways-of-selling").update(names={"fr": "Façons de vendre"})
    GlossaryState.bump()  # as the admin's save of a domain does


def page(reader, url):
    response = reader.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_domains_page_lists_each_domain_with_its_published_concepts_count(reader, glossary):
    body = page(reader, "/fr/domains/")
    assert texts_of(body, "h1") == ["Domaines"]
    assert texts_of(body.split('class="domain-list"')[1], "li") == [
        "Façons de vendre 1 terme",
        "Indicateurs 2 termes",
        "Rôles 4 termes",
    ]
    assert 'href="/fr/domains/roles/"' in body


def test_in_english_domains_have_their_english_names_or_the_french_ones(reader, glossary):
    body = page(reader, "/en/domains/")
    assert texts_of(body.split('class="domain-list"')[1], "li") == [
        "Façons de vendre 1 term",
        "Metrics 2 terms",
        "Roles 4 terms",
    ]
    assert 'href="/en/domains/metrics/"' in body


def test_a_domain_page_is_the_a_to_z_of_its_published_concepts(reader, glossary):
    body = page(reader, "/fr/domains/roles/")
    assert texts_of(body, "h1") == ["Rôles"]
    # One entry per concept, in the index's order: Échelle files under E, the middle
    # dot and the accents never break it. No acronym, no draft, no other domain.
    assert texts_of(body, "li", css_class="entry") == [
        "Chargé·e de compte",
        "Développeur·se commercial·e",
        "Échelle de remise",
        "Responsable des ventes",
    ]
    assert texts_of(body, "h2") == ["C", "D", "E", "R"]
    assert "4 termes dans ce domaine, de A à Z." in texts_of(body, "p", css_class="lede")
    assert 'href="/fr/terms/echelle-de-remise/"' in body


def test_an_english_domain_page_lists_english_terms_and_marks_the_untranslated(reader, glossary):
    body = page(reader, "/en/domains/roles/")
    assert texts_of(body, "li", css_class="entry") == [
        "Account executive",
        "Développeur·se commercial·e not yet translated",
        "Discount ladder",
        "Sales manager",
    ]


def test_an_unknown_domain_is_a_404(reader, glossary):
    assert reader.get("/fr/domains/nope/").status_code == 404
    assert reader.get("/fr/domains/r%C3%B4les/").status_code == 404
    assert reader.get("/fr/domains/..%2Froles/").status_code == 404


def test_a_domain_knows_its_address_in_each_language(glossary):
    domain = Domain.objects.get(slug="metrics")
    with translation.override("fr"):
        assert domain.get_absolute_url() == "/fr/domains/metrics/"
    with translation.override("en"):
        assert domain.get_absolute_url() == "/en/domains/metrics/"


def test_the_language_switch_stays_on_the_domain(reader, glossary):
    body = page(reader, "/fr/domains/metrics/")
    assert 'href="/language/en/?next=/fr/domains/metrics/"' in body
    response = reader.get("/language/en/?next=/fr/domains/metrics/")
    assert response["Location"] == "/en/domains/metrics/"


def test_the_home_links_to_the_domains(reader, glossary):
    body = page(reader, "/fr/")
    chips = texts_of(body.split('class="home-domains"')[1], "a", css_class="chip")
    assert chips == ["Façons de vendre 1, 1 terme", "Indicateurs 2, 2 termes", "Rôles 4, 4 termes"]
    assert 'href="/fr/domains/"' in body


def test_the_term_page_links_to_its_domains(reader, glossary):
    body = page(reader, "/fr/terms/echelle-de-remise/")
    assert texts_of(body, "a", css_class="chip") == ["Indicateurs", "Rôles"]
    assert '<a class="chip" href="/fr/domains/metrics/">' in body


def test_a_domain_with_no_published_concept_yet_is_a_calm_page(reader, glossary):
    Domain.objects.create(slug="empty", names={"fr": "Vide"})
    GlossaryState.bump()
    body = page(reader, "/fr/domains/empty/")
    assert "Aucun terme publié dans ce domaine pour l’instant." in body
    assert "Vide" not in page(reader, "/fr/domains/")


def test_a_domain_of_drafts_only_is_offered_to_no_reader(reader, glossary):
    assert import_file(b"slug,domains\nen-chantier,brouillons\n", file_name="y.csv").ok
    assert "brouillons" not in page(reader, "/fr/domains/")
    assert "brouillons" not in page(reader, "/fr/search/?q=role")
    assert "brouillons" not in page(reader, "/fr/")


# -- caching -----------------------------------------------------------------------------


def test_domain_pages_are_cached_and_never_stale(reader, glossary, django_assert_num_queries):
    page(reader, "/fr/domains/metrics/")
    page(reader, "/fr/domains/")
    with django_assert_num_queries(1):  # the generation
        page(reader, "/fr/domains/metrics/")
    assert import_file(b"slug,domains\nhybride,metrics\n", file_name="y.csv").ok
    assert "Hybride" in page(reader, "/fr/domains/metrics/")
    assert "Indicateurs 3 termes" in texts_of(page(reader, "/fr/domains/"), "li")
    # An editor renames a domain (the admin bumps the generation with the change).
    Domain.objects.filter(slug="metrics").update(names={"fr": "Mesures"})
    GlossaryState.bump()
    assert texts_of(page(reader, "/fr/domains/metrics/"), "h1") == ["Mesures"]


def test_a_concept_unpublished_leaves_its_domain_page(reader, glossary):
    assert "Taux d’attrition" in page(reader, "/fr/domains/metrics/")
    assert import_file(b"slug,status\ntaux-d-attrition,draft\n", file_name="y.csv").ok
    assert "Taux d’attrition" not in page(reader, "/fr/domains/metrics/")


# -- search by domain ----------------------------------------------------------------------


def test_the_search_page_filters_by_domain(reader, glossary):
    body = page(reader, "/fr/search/?q=taux")
    assert "Taux d’attrition" in body
    body = page(reader, "/fr/search/?q=taux&domain=roles")
    assert texts_of(body, "li", css_class="result") == []
    assert "Aucun terme du domaine Rôles ne correspond à « taux »." in body
    assert 'href="?q=taux"' in body  # the same search in every domain
    body = page(reader, "/fr/search/?q=taux&domain=metrics")
    assert [t.split(" (")[0] for t in texts_of(body, "li", css_class="result")] == [
        "Taux d’attrition Churn rate Perte de clients."
    ]
    assert "1 résultat pour « taux » dans Indicateurs" in body


def test_the_domain_filter_is_a_select_that_works_without_javascript(reader, glossary):
    body = page(reader, "/fr/search/?q=vente&domain=ways-of-selling")
    form = body.split('<form class="search-filter"')[1].split("</form>")[0]
    assert 'method="get"' in form and 'action="/fr/search/"' in form
    assert '<input type="hidden" name="q" value="vente">' in form
    assert texts_of(form, "option") == [
        "Tous les domaines",
        "Façons de vendre",
        "Indicateurs",
        "Rôles",
    ]
    assert '<option value="ways-of-selling" selected>' in form


def test_a_wording_to_avoid_finds_its_concept_within_its_domain(reader, glossary):
    body = page(reader, "/fr/search/?q=vente+interne&domain=ways-of-selling")
    assert texts_of(body, "p", css_class="result__avoided") == [
        "« Vente interne » est à éviter : dites « Vente sédentaire »"
    ]


@pytest.mark.parametrize("domain", ["nope", "<script>", "%", "x" * 500])
def test_an_unknown_domain_in_search_is_a_calm_page(reader, glossary, domain):
    response = reader.get("/fr/search/", {"q": "taux", "domain": domain})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script>" not in body.split("<main")[1]
    assert "ces résultats viennent de tous les domaines" in body
    assert "Taux d’attrition" in body


def test_a_domain_without_a_query_offers_its_a_to_z(reader, glossary):
    body = page(reader, "/fr/search/?domain=metrics")
    assert 'href="/fr/domains/metrics/"' in body


def test_the_domain_page_searches_its_domain(reader, glossary):
    body = page(reader, "/fr/domains/metrics/")
    form = body.split('<form class="search-filter"')[1].split("</form>")[0]
    assert '<input type="hidden" name="domain" value="metrics">' in form


# -- query counts --------------------------------------------------------------------------


def many_concepts(start, stop):
    """Concepts in two domains, a few of them with a wording to avoid, in one import."""
    lines = ["slug,status,domains,term_fr,deprecated_fr,definition_fr,term_en"]
    for number in range(start, stop):
        domains = "roles | metrics" if number % 3 else "roles"
        deprecated = f"Vieux terme {number}" if number % 10 == 0 else ""
        lines.append(
            f"concept-{number},published,{domains},Terme {number},{deprecated},"
            f"Définition {number}.,Term {number}"
        )
    assert import_file(("\n".join(lines) + "\n").encode(), file_name="many.csv").ok


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        "/fr/domains/",
        "/en/domains/",
        "/fr/domains/roles/",
        "/fr/domains/metrics/",
        "/fr/",
        "/fr/letters/V/",
        "/fr/search/?q=terme&domain=roles",
        "/fr/search/?q=vieux+terme",
    ],
)
def test_query_counts_stay_flat_from_10_to_300_concepts(reader, url):
    many_concepts(0, 10)
    with CaptureQueriesContext(connection) as small:
        assert reader.get(url).status_code == 200
    many_concepts(10, 300)
    with CaptureQueriesContext(connection) as large:
        assert reader.get(url).status_code == 200
    # the generation; the domains page: the domains with their counts; a domain page:
    # the domain, the count of its concepts, one page of them; the home: the letter bar,
    # the entries, the concept count, the domains; search: the domains of the filter,
    # typo corrections of each word of five letters or more, the engine's match on names
    # (and definitions), concepts, texts
    assert len(large) <= len(small) <= 8, [q["sql"] for q in large.captured_queries]
    assert Concept.objects.count() == 300


@pytest.mark.django_db
def test_a_large_domain_is_paginated(reader):
    many_concepts(0, 320)
    body = page(reader, "/fr/domains/roles/")
    assert len(texts_of(body, "li", css_class="entry")) == 300
    assert "Page 1 sur 2" in body
    body = page(reader, "/fr/domains/roles/?page=2")
    assert len(texts_of(body, "li", css_class="entry")) == 20
