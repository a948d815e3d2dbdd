"""A term page is its concept's IRI: linked-data clients get the concept's SKOS from it,
browsers get the page, and the page cache never hands one to the other."""

import pytest
from django.test import Client
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from terms.models import Concept, Status
from terms.writer import set_status
from tests.depth import deepen_seed

BASE = "https://glossary.example.com"
ACCOUNT = URIRef(f"{BASE}/fr/terms/chargee-de-compte/")
TURTLE = "text/turtle"
JSON_LD = "application/ld+json"
BROWSERS = {
    "Firefox": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Chromium": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,"
    "image/webp,image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7",
    "Safari": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "curl": "*/*",
}
RDF_FORMATS = {TURTLE: "turtle", JSON_LD: "json-ld"}


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.GLOSSARY_BASE_URL = BASE


def fetch(url, accept=None, client=None):
    headers = {"HTTP_ACCEPT": accept} if accept is not None else {}
    return (client or Client()).get(url, **headers)


def graph_of(response, media_type):
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == media_type
    assert "Accept" in response["Vary"]
    return Graph().parse(data=response.content, format=RDF_FORMATS[media_type])


@pytest.mark.django_db
@pytest.mark.parametrize("media_type", [TURTLE, JSON_LD])
def test_a_term_page_gives_its_concept_as_skos_to_who_asks(seed, media_type):
    graph = graph_of(fetch("/fr/terms/chargee-de-compte/", media_type), media_type)
    assert list(graph.subjects(RDF.type, SKOS.Concept)) == [ACCOUNT]
    assert set(graph.objects(ACCOUNT, SKOS.prefLabel)) == {
        Literal("Chargé·e de compte", lang="fr"),
        Literal("Account executive", lang="en"),
    }
    assert set(graph.objects(ACCOUNT, SKOS.altLabel)) == {Literal("AE", lang="en")}
    assert graph.value(ACCOUNT, SKOS.definition).startswith("Les AE se concentrent")
    assert graph.value(ACCOUNT, DCTERMS.modified) is not None
    scheme = URIRef(f"{BASE}/")
    assert (ACCOUNT, SKOS.inScheme, scheme) in graph
    assert set(graph.objects(scheme, SKOS.prefLabel)) == {
        Literal("Glossaire des ventes", lang="fr"),
        Literal("Sales glossary", lang="en"),
    }


@pytest.mark.django_db
def test_the_concept_has_one_iri_whatever_the_page_language_or_host(seed):
    response = Client(HTTP_HOST="localhost").get("/en/terms/chargee-de-compte/", HTTP_ACCEPT=TURTLE)
    assert list(graph_of(response, TURTLE).subjects(RDF.type, SKOS.Concept)) == [ACCOUNT]


@pytest.mark.django_db
def test_a_concept_alone_keeps_its_see_also_links_to_published_concepts(seed):
    graph = graph_of(fetch("/fr/terms/interaction-indirecte/", TURTLE), TURTLE)
    related = URIRef(f"{BASE}/fr/terms/asynchrone/")
    assert (URIRef(f"{BASE}/fr/terms/interaction-indirecte/"), SKOS.related, related) in graph
    set_status([Concept.objects.get(slug="asynchrone").pk], Status.DRAFT, reason="test")
    graph = graph_of(fetch("/fr/terms/interaction-indirecte/", TURTLE), TURTLE)
    assert not list(graph.triples((None, SKOS.related, None)))


@pytest.mark.django_db
@pytest.mark.parametrize("agent", list(BROWSERS))  # not `browser`: Playwright's fixture
def test_browsers_get_the_page(seed, agent):
    response = fetch("/fr/terms/chargee-de-compte/", BROWSERS[agent])
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert "Accept" in response["Vary"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "text/html"),
        ("text/turtle;q=0.9, text/html;q=0.5", TURTLE),
        ("text/html;q=0.9, application/ld+json", JSON_LD),
        ("text/turtle;q=0.1, */*", "text/html"),
        ("application/rdf+xml, text/turtle;q=0.8, */*;q=0.1", TURTLE),
        ("application/json", "text/html"),  # none of ours: the page
    ],
)
def test_q_values_decide(seed, accept, media_type):
    response = fetch("/fr/terms/hybride/", accept)
    assert response["Content-Type"].split(";")[0] == media_type


@pytest.mark.django_db
def test_the_page_cache_keeps_each_representation_apart(seed, django_assert_max_num_queries):
    url = "/fr/terms/chargee-de-compte/"
    client = Client()
    assert fetch(url, BROWSERS["Firefox"], client)["Content-Type"].startswith("text/html")
    graph_of(fetch(url, TURTLE, client), TURTLE)
    graph_of(fetch(url, JSON_LD, client), JSON_LD)
    # Each is now cached: served again, each as itself, with the generation query only.
    for accept, media_type in ((BROWSERS["Chromium"], "text/html"), (TURTLE, TURTLE)):
        with django_assert_max_num_queries(1):
            response = fetch(url, accept, client)
        assert response["Content-Type"].split(";")[0] == media_type


@pytest.mark.django_db
@pytest.mark.parametrize("accept", [TURTLE, JSON_LD, BROWSERS["Firefox"]])
def test_drafts_and_unknown_slugs_are_404_in_every_representation(seed, accept):
    Concept.objects.filter(slug="hybride").update(status=Status.DRAFT)
    assert fetch("/fr/terms/hybride/", accept).status_code == 404
    assert fetch("/fr/terms/nope/", accept).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("media_type", [TURTLE, JSON_LD])
def test_a_term_page_gives_its_domains_wordings_to_avoid_notes_and_sources(seed, media_type):
    deepen_seed()
    graph = graph_of(fetch("/fr/terms/vente-sedentaire/", media_type), media_type)
    selling = URIRef(f"{BASE}/fr/terms/vente-sedentaire/")
    ways_of_selling = URIRef(f"{BASE}/fr/domains/ways-of-selling/")
    assert (ways_of_selling, RDF.type, SKOS.Collection) in graph
    assert set(graph.objects(ways_of_selling, SKOS.member)) == {selling}
    assert Literal("Télévente", lang="fr") in set(graph.objects(selling, SKOS.hiddenLabel))
    assert graph.value(selling, SKOS.scopeNote, any=True) is not None
    assert URIRef("https://example.com/playbook-2025") in set(
        graph.objects(selling, DCTERMS.source)
    )


@pytest.mark.django_db
def test_a_published_concept_in_a_domain_with_a_draft_names_no_draft(seed):
    deepen_seed()
    graph = graph_of(fetch("/fr/terms/chargee-de-compte/", TURTLE), TURTLE)
    roles = URIRef(f"{BASE}/fr/domains/roles/")
    # Described alone, the concept is the only member it names; the draft is in no graph.
    assert set(graph.objects(roles, SKOS.member)) == {ACCOUNT}
    assert fetch("/fr/terms/poste-secret/", TURTLE).status_code == 404
