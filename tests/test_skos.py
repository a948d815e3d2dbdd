"""SKOS: the glossary as a Turtle concept scheme that RDF tools read back whole, its domains
as collections."""

from collections import Counter
from datetime import UTC, datetime

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, SKOS

from terms.interchange.service import export_file, export_records
from terms.interchange.skos import concept_iri, domain_iri, write_skos
from terms.records import ConceptRecord
from tests.depth import PUBLISHED_COUNTS, deepen_seed

BASE = "https://glossary.example.com"


def concept(slug):
    return URIRef(f"{BASE}/fr/terms/{slug}/")


@pytest.fixture
def seed_graph(seed):
    turtle = write_skos(export_records(), base_url=BASE, title="Glossaire des ventes")
    return Graph().parse(data=turtle, format="turtle")


def records_of(*rows):
    return [ConceptRecord.from_fields(row) for row in rows]


@pytest.mark.django_db
def test_the_seed_is_one_titled_scheme_with_39_concepts_in_it(seed_graph):
    scheme = URIRef(f"{BASE}/")
    assert list(seed_graph.subjects(RDF.type, SKOS.ConceptScheme)) == [scheme]
    assert seed_graph.value(scheme, DCTERMS.title) == Literal("Glossaire des ventes")
    concepts = set(seed_graph.subjects(RDF.type, SKOS.Concept))
    assert len(concepts) == 39
    assert all((c, SKOS.inScheme, scheme) in seed_graph for c in concepts)
    assert set(seed_graph.objects(scheme, SKOS.hasTopConcept)) == concepts


@pytest.mark.django_db
def test_a_concept_is_its_french_page_with_labels_and_definitions_per_language(seed_graph):
    account = concept("chargee-de-compte")
    assert set(seed_graph.objects(account, SKOS.prefLabel)) == {
        Literal("Chargé·e de compte", lang="fr"),
        Literal("Account executive", lang="en"),
    }
    assert set(seed_graph.objects(account, SKOS.altLabel)) == {Literal("AE", lang="en")}
    (definition,) = seed_graph.objects(account, SKOS.definition)
    assert definition.language == "fr"
    assert definition.startswith("Les AE se concentrent")
    assert seed_graph.value(account, SKOS.notation) == Literal("chargee-de-compte")


@pytest.mark.django_db
def test_acronyms_and_variants_are_alternative_labels(seed_graph):
    pme = concept("pme-pmi")
    assert set(seed_graph.objects(pme, SKOS.altLabel)) == {
        Literal("PME", lang="fr"),
        Literal("PMI", lang="fr"),
        Literal("SMB", lang="en"),  # an English acronym without an English term
    }
    assert {label.language for label in seed_graph.objects(pme, SKOS.prefLabel)} == {"fr"}
    value = concept("valeur-annuelle-du-contrat")
    assert Literal("Average contract value", lang="en") in set(
        seed_graph.objects(value, SKOS.altLabel)
    )


@pytest.mark.django_db
def test_see_also_links_are_related_concepts(seed_graph):
    assert (concept("interaction-indirecte"), SKOS.related, concept("asynchrone")) in seed_graph
    assert len(list(seed_graph.triples((None, SKOS.related, None)))) == 1


@pytest.mark.django_db
def test_labels_keep_skos_integrity(seed_graph):
    for subject in seed_graph.subjects(RDF.type, SKOS.Concept):
        preferred = list(seed_graph.objects(subject, SKOS.prefLabel))
        # S14: at most one prefLabel per language.
        assert max(Counter(label.language for label in preferred).values()) == 1, subject
        # S13: no label both preferred and alternative.
        assert not set(preferred) & set(seed_graph.objects(subject, SKOS.altLabel)), subject


def test_hostile_text_round_trips_through_turtle():
    nasty = 'Il a dit "bonjour" \'là\' """ \\ fin\nligne <script>alert(1)</script> é·'
    definition = 'Paragraphe """triple""".\n\n<b>gras</b> & "guillemets" \\n littéral'
    turtle = write_skos(
        records_of(
            {
                "slug": "nasty",
                "status": "published",
                "term_fr": 'Terme « piégé » "',
                "variants_fr": nasty.replace("\n", " "),
                "definition_fr": definition,
                "term_en": 'Quote " and """ triple',
            }
        ),
        base_url=BASE + "/",
        title='Titre "cité"\n',
    )
    graph = Graph().parse(data=turtle, format="turtle")
    subject = concept("nasty")
    assert set(graph.objects(subject, SKOS.prefLabel)) == {
        Literal('Terme « piégé » "', lang="fr"),
        Literal('Quote " and """ triple', lang="en"),
    }
    assert set(graph.objects(subject, SKOS.altLabel)) == {
        Literal(nasty.replace("\n", " "), lang="fr")
    }
    assert graph.value(subject, SKOS.definition) == Literal(definition, lang="fr")
    assert graph.value(URIRef(f"{BASE}/"), DCTERMS.title) == Literal('Titre "cité"\n')


def test_links_to_concepts_outside_the_export_and_to_itself_are_left_out():
    turtle = write_skos(
        records_of(
            {"slug": "a", "term_fr": "A", "see_also": "b | missing | a"},
            {"slug": "b", "term_fr": "B"},
        ),
        base_url=BASE,
    )
    graph = Graph().parse(data=turtle, format="turtle")
    assert set(graph.triples((None, SKOS.related, None))) == {
        (concept("a"), SKOS.related, concept("b"))
    }


def test_a_label_that_is_also_the_term_is_not_an_alternative_label():
    turtle = write_skos(
        records_of({"slug": "crm", "term_fr": "CRM", "acronyms_fr": "CRM | GRC"}), base_url=BASE
    )
    graph = Graph().parse(data=turtle, format="turtle")
    assert set(graph.objects(concept("crm"), SKOS.altLabel)) == {Literal("GRC", lang="fr")}


def test_concept_iris_are_the_public_term_pages():
    assert concept_iri(BASE + "/", "fr", "taux-d-attrition") == URIRef(
        f"{BASE}/fr/terms/taux-d-attrition/"
    )


@pytest.mark.django_db
def test_the_scheme_is_labelled_in_each_language(seed_graph):
    scheme = URIRef(f"{BASE}/")
    assert set(seed_graph.objects(scheme, SKOS.prefLabel)) == {
        Literal("Glossaire des ventes", lang="fr"),
        Literal("Sales glossary", lang="en"),
    }


def test_a_language_without_a_title_gets_no_label(settings):
    settings.GLOSSARY_TITLES = {"fr": "Glossaire RH", "en": ""}
    turtle = write_skos(records_of({"slug": "a", "term_fr": "A"}), base_url=BASE, title="RH")
    graph = Graph().parse(data=turtle, format="turtle")
    # The title given wins for the default language: it is the one the caller knows.
    assert set(graph.objects(URIRef(f"{BASE}/"), SKOS.prefLabel)) == {Literal("RH", lang="fr")}


def test_json_ld_holds_the_same_graph_as_turtle():
    records = records_of(
        {"slug": "a", "term_fr": "À « b »", "term_en": "A", "see_also": "b"},
        {"slug": "b", "term_fr": "B", "definition_fr": "Ligne 1\n\nLigne 2"},
    )
    turtle, json_ld = (
        write_skos(records, base_url=BASE, title="T", labels={"fr": "T"}, rdf=rdf)
        for rdf in ("turtle", "json-ld")
    )
    assert isomorphic(
        Graph().parse(data=turtle, format="turtle"), Graph().parse(data=json_ld, format="json-ld")
    )


def test_one_concept_alone_links_to_the_concepts_named_linkable():
    turtle = write_skos(
        records_of({"slug": "a", "term_fr": "A", "see_also": "b | draft"}),
        base_url=BASE,
        linkable=["b"],
        modified={"a": datetime(2026, 1, 31, 9, 30, tzinfo=UTC)},
    )
    graph = Graph().parse(data=turtle, format="turtle")
    assert set(graph.objects(concept("a"), SKOS.related)) == {concept("b")}
    assert graph.value(concept("a"), DCTERMS.modified).toPython() == datetime(
        2026, 1, 31, 9, 30, tzinfo=UTC
    )
    assert (concept("b"), RDF.type, SKOS.Concept) not in graph  # named, not described


# -- terminology depth: domains, wordings to avoid, notes, sources ------------------------


def domain(slug):
    return URIRef(f"{BASE}/fr/domains/{slug}/")


@pytest.fixture
def deep_graph(seed, settings):
    settings.GLOSSARY_BASE_URL = BASE
    deepen_seed()
    return Graph().parse(data=export_file("skos"), format="turtle")


@pytest.mark.django_db
def test_each_domain_is_a_labelled_collection_of_its_published_concepts(deep_graph):
    collections = set(deep_graph.subjects(RDF.type, SKOS.Collection))
    assert collections == {domain(slug) for slug in PUBLISHED_COUNTS}
    roles = domain("roles")
    assert set(deep_graph.objects(roles, SKOS.prefLabel)) == {
        Literal("Rôles", lang="fr"),
        Literal("Roles", lang="en"),
    }
    assert deep_graph.value(roles, SKOS.notation) == Literal("roles")
    # The draft in it is no member: only published concepts are in the public file.
    assert set(deep_graph.objects(roles, SKOS.member)) == {
        concept("chargee-de-compte"),
        concept("responsable-de-la-reussite-client"),
    }
    # A domain named in one language only is labelled in that one.
    assert set(deep_graph.objects(domain("customer-lifecycle"), SKOS.prefLabel)) == {
        Literal("Cycle de vie client", lang="fr")
    }
    for slug, count in PUBLISHED_COUNTS.items():
        assert len(list(deep_graph.objects(domain(slug), SKOS.member))) == count


@pytest.mark.django_db
def test_a_domain_with_only_drafts_and_the_drafts_are_not_in_the_public_skos(deep_graph):
    assert (domain("secret-project"), None, None) not in deep_graph
    assert (concept("poste-secret"), None, None) not in deep_graph
    assert Literal("Nom de code", lang="fr") not in set(deep_graph.objects())


@pytest.mark.django_db
def test_wordings_to_avoid_are_hidden_labels_notes_scope_notes_and_sources_dct_sources(
    deep_graph,
):
    selling = concept("vente-sedentaire")
    assert set(deep_graph.objects(selling, SKOS.hiddenLabel)) == {
        Literal("Télévente", lang="fr"),
        Literal("Telesales", lang="en"),
        Literal("Phone sales", lang="en"),
    }
    # Never a name: the variant stays the only alternative label.
    assert set(deep_graph.objects(selling, SKOS.altLabel)) == {Literal("Vente interne", lang="fr")}
    assert set(deep_graph.objects(selling, SKOS.scopeNote)) == {
        Literal("Ne dites pas « télévente ».", lang="fr"),
        Literal("Say inside sales.", lang="en"),
    }
    # A text is a literal in its language; an address an IRI a linked-data tool follows.
    assert set(deep_graph.objects(selling, DCTERMS.source)) == {
        Literal("Playbook commercial 2025", lang="fr"),
        URIRef("https://example.com/playbook-2025"),
    }
    account = concept("chargee-de-compte")
    assert deep_graph.value(account, SKOS.scopeNote) == Literal(
        "Au pluriel : chargé·es de compte.\n\nEn interne : AE.", lang="fr"
    )
    assert deep_graph.value(account, DCTERMS.source) == URIRef(
        "https://example.com/roles?team=sales&year=2025"
    )


def test_a_source_of_several_paragraphs_gives_each_its_kind_and_odd_addresses_stay_text():
    turtle = write_skos(
        records_of(
            {
                "slug": "a",
                "term_fr": "A",
                "source_fr": "Guide 2024\n\nhttps://example.com/guide\n\nhttps://example.com/<x>",
            }
        ),
        base_url=BASE,
    )
    graph = Graph().parse(data=turtle, format="turtle")
    assert set(graph.objects(concept("a"), DCTERMS.source)) == {
        Literal("Guide 2024", lang="fr"),
        URIRef("https://example.com/guide"),
        # Not an IRI Turtle can hold: kept as the text it is.
        Literal("https://example.com/<x>", lang="fr"),
    }


def test_a_hidden_label_is_never_also_a_preferred_or_alternative_one():
    turtle = write_skos(
        records_of(
            {
                "slug": "a",
                "term_fr": "Vente",
                "variants_fr": "Vendre",
                "deprecated_fr": "Vente | Vendre | Fourguer",
                "deprecated_en": "Vente",
            }
        ),
        base_url=BASE,
    )
    graph = Graph().parse(data=turtle, format="turtle")
    assert set(graph.objects(concept("a"), SKOS.hiddenLabel)) == {
        Literal("Fourguer", lang="fr"),
        Literal("Vente", lang="en"),  # another language: another label
    }


def test_a_domain_without_names_is_still_a_collection_its_iri_identifies():
    turtle = write_skos(
        records_of({"slug": "a", "term_fr": "A", "domains": "roles"}), base_url=BASE
    )
    graph = Graph().parse(data=turtle, format="turtle")
    assert (domain("roles"), RDF.type, SKOS.Collection) in graph
    assert set(graph.objects(domain("roles"), SKOS.member)) == {concept("a")}
    assert list(graph.objects(domain("roles"), SKOS.prefLabel)) == []


def test_domain_iris_are_the_public_domain_pages():
    assert domain_iri(BASE + "/", "fr", "cycle-de-vie") == domain("cycle-de-vie")


@pytest.mark.django_db
def test_the_deep_seed_keeps_skos_label_integrity(deep_graph):
    for subject in deep_graph.subjects(RDF.type, SKOS.Concept):
        labels = [
            set(deep_graph.objects(subject, kind))
            for kind in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel)
        ]
        # S13: preferred, alternative and hidden labels are pairwise disjoint.
        assert not (labels[0] & labels[1] or labels[0] & labels[2] or labels[1] & labels[2])
