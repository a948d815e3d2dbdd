"""SKOS: the glossary as a concept scheme in Turtle, for thesaurus and linked-data tools.

SKOS (W3C) is how vocabularies are published on the web: tools such as
Skosmos, VocBench or a triple store load it as is. `write_skos` turns the
interchange dataset (one row per concept, the columns of
`interchange_columns()`) into one `skos:ConceptScheme` and one `skos:Concept`
per row. The graph is built with rdflib and serialised by it, so every text,
whatever quotes, line breaks or markup it holds, is escaped by the Turtle
writer rather than by us.

A concept's IRI is its public page in the default language
(`{base_url}/fr/terms/{slug}/`), so the identifier resolves to a page that
describes it. Per language: the term is the `skos:prefLabel`, acronyms and
variants are `skos:altLabel`s, the definition is `skos:definition`; see-also
links are `skos:related`, and the slug is the `skos:notation`. SKOS has no
publication status, so draft or published is not written.
"""

from urllib.parse import quote

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from terms import text
from terms.models import content_languages


def write_skos(dataset, *, base_url, title="Glossary"):
    """The dataset's concepts as a SKOS concept scheme, in Turtle (UTF-8 bytes).

    `base_url` is the site's root URL (`https://glossary.example.com`); the
    scheme's IRI is `{base_url}/`.
    """
    languages = content_languages()
    base_url = base_url.rstrip("/")
    rows = [_row_values(row) for row in dataset.dict]
    iris = {row["slug"]: concept_iri(base_url, languages[0], row["slug"]) for row in rows}

    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    scheme = URIRef(f"{base_url}/")
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal(title)))
    for row in rows:
        _add_concept(graph, scheme, row, languages, iris)
    return graph.serialize(format="turtle", encoding="utf-8")


def concept_iri(base_url, language, slug):
    """The IRI of a concept: its public page in `language`."""
    return URIRef(f"{base_url.rstrip('/')}/{language}/terms/{quote(slug, safe='')}/")


def _row_values(row):
    values = {column: "" if value is None else str(value) for column, value in row.items()}
    values["slug"] = values.get("slug", "").strip()
    return values


def _add_concept(graph, scheme, row, languages, iris):
    concept = iris[row["slug"]]
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, scheme))
    # The glossary is flat: every concept is a top concept, which is what lets
    # SKOS browsers list them.
    graph.add((concept, SKOS.topConceptOf, scheme))
    graph.add((scheme, SKOS.hasTopConcept, concept))
    graph.add((concept, SKOS.notation, Literal(row["slug"])))
    for language in languages:
        term = text.clean_term(row.get(f"term_{language}", ""))
        if term:
            graph.add((concept, SKOS.prefLabel, Literal(term, lang=language)))
        others = text.split_values(row.get(f"acronyms_{language}"))
        others += text.split_values(row.get(f"variants_{language}"))
        for label in others:
            # SKOS forbids a label that is both preferred and alternative (S13).
            if label != term:
                graph.add((concept, SKOS.altLabel, Literal(label, lang=language)))
        definition = text.clean_definition(row.get(f"definition_{language}", ""))
        if definition:
            graph.add((concept, SKOS.definition, Literal(definition, lang=language)))
    for target in text.split_values(row.get("see_also")):
        # Only concepts of this scheme: a partial export links to nothing outside it.
        if target in iris and target != row["slug"]:
            graph.add((concept, SKOS.related, iris[target]))
