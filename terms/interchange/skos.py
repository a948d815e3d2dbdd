"""SKOS: the glossary as a concept scheme in Turtle, for thesaurus and linked-data tools.

SKOS (W3C) is how vocabularies are published on the web: tools such as
Skosmos, VocBench or a triple store load it as is. `write_skos` turns concept
records (terms/records.py) into one `skos:ConceptScheme` and one `skos:Concept`
per record. The graph is built with rdflib and serialised by it, so every text,
whatever quotes, line breaks or markup it holds, is escaped by the Turtle
writer rather than by us.

A concept's IRI is its public page in the default language
(`{base_url}/fr/terms/{slug}/`), so the identifier resolves to a page that
describes it. Per language: the term is the `skos:prefLabel`, acronyms and
variants are `skos:altLabel`s, wordings to avoid are `skos:hiddenLabel`s (a
SKOS tool finds the concept by them and never shows them as its name), the
definition is `skos:definition`, the note `skos:scopeNote`, the source
`dct:source` (an address as an IRI, any other text as a literal in its
language); see-also links are `skos:related`, and the slug is the
`skos:notation`. SKOS has no publication status, so draft or published is not
written.

Each domain the records name is a `skos:Collection` whose IRI is the domain's
public page (`{base_url}/fr/domains/{slug}/`), labelled in each language it has a
name in, with a `skos:member` per concept of the export in it: a domain none of
the records belongs to (one whose concepts are all drafts, in a public export)
is not written.

The scheme is labelled in each content language (`skos:prefLabel`, from
GLOSSARY_TITLES) and titled (`dct:title`), so a SKOS browser names it. The same
graph serialises as Turtle (the downloads) or JSON-LD (a term page asked for it).
"""

import re
from urllib.parse import quote

from django.conf import settings
from rdflib import RDF, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, SKOS

from terms.languages import content_languages

# rdflib's names for the serialisations offered.
TURTLE = "turtle"
JSON_LD = "json-ld"
# Prefixes rather than full IRIs in JSON-LD keys, as in the Turtle.
JSON_LD_CONTEXT = {"skos": str(SKOS), "dct": str(DCTERMS), "xsd": str(XSD)}
# An address a source may be, written as an IRI: http(s), and nothing Turtle cannot hold
# between < and >.
ADDRESS = re.compile(r"https?://[^\s<>\"{}|\\^`]+")


def write_skos(
    records,
    *,
    base_url,
    title="Glossary",
    labels=None,
    linkable=(),
    modified=None,
    domains=None,
    rdf=TURTLE,
):
    """The records as a SKOS concept scheme, in Turtle or JSON-LD (UTF-8 bytes).

    `base_url` is the site's root URL (`https://glossary.example.com`); the
    scheme's IRI is `{base_url}/`. `labels` are the scheme's titles by language
    (default GLOSSARY_TITLES, with `title` for the default language). `linkable`
    names concepts of the scheme outside `records` that `skos:related` may point to
    (one concept described alone keeps its links); `modified` maps slugs to the time
    of their last change (`dct:modified`); `domains` maps domain slugs to their names
    ({language: name}): a domain the records name without a name there is a collection
    without a label, which its IRI still identifies.
    """
    languages = content_languages()
    base_url = base_url.rstrip("/")
    records = list(records)
    iris = {
        slug: concept_iri(base_url, languages[0], slug)
        for slug in [*linkable, *(record.slug for record in records)]
    }
    if labels is None:
        labels = {**settings.GLOSSARY_TITLES, languages[0]: title}

    graph = Graph()
    graph.bind("skos", SKOS)
    graph.bind("dct", DCTERMS)
    scheme = URIRef(f"{base_url}/")
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal(title)))
    for language in languages:
        if labels.get(language):
            graph.add((scheme, SKOS.prefLabel, Literal(labels[language], lang=language)))
    members = {}  # domain slug -> its concepts among the records
    for record in records:
        _add_concept(graph, scheme, record, languages, iris)
        for domain in record.domains or ():
            members.setdefault(domain, []).append(iris[record.slug])
        if modified and record.slug in modified:
            graph.add(
                (
                    iris[record.slug],
                    DCTERMS.modified,
                    Literal(modified[record.slug], datatype=XSD.dateTime),
                )
            )
    for domain, concepts in members.items():
        collection = domain_iri(base_url, languages[0], domain)
        _add_collection(graph, collection, domain, (domains or {}).get(domain, {}), concepts)
    if rdf == JSON_LD:
        return graph.serialize(
            format=JSON_LD, context=JSON_LD_CONTEXT, auto_compact=True, encoding="utf-8"
        )
    return graph.serialize(format=TURTLE, encoding="utf-8")


def concept_iri(base_url, language, slug):
    """The IRI of a concept: its public page in `language`."""
    return URIRef(f"{base_url.rstrip('/')}/{language}/terms/{quote(slug, safe='')}/")


def domain_iri(base_url, language, slug):
    """The IRI of a domain: its public page in `language`."""
    return URIRef(f"{base_url.rstrip('/')}/{language}/domains/{quote(slug, safe='')}/")


def _add_collection(graph, collection, slug, names, concepts):
    graph.add((collection, RDF.type, SKOS.Collection))
    graph.add((collection, SKOS.notation, Literal(slug)))
    for language in content_languages():
        if names.get(language):
            graph.add((collection, SKOS.prefLabel, Literal(names[language], lang=language)))
    for concept in concepts:
        graph.add((collection, SKOS.member, concept))


def _add_concept(graph, scheme, record, languages, iris):
    concept = iris[record.slug]
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, scheme))
    # The glossary is flat: every concept is a top concept, which is what lets
    # SKOS browsers list them.
    graph.add((concept, SKOS.topConceptOf, scheme))
    graph.add((scheme, SKOS.hasTopConcept, concept))
    graph.add((concept, SKOS.notation, Literal(record.slug)))
    for language in languages:
        content = record.content(language)
        if content.term:
            graph.add((concept, SKOS.prefLabel, Literal(content.term, lang=language)))
        for label in (*content.acronyms, *content.variants):
            # SKOS forbids a label that is both preferred and alternative (S13).
            if label != content.term:
                graph.add((concept, SKOS.altLabel, Literal(label, lang=language)))
        names = set(content.names())
        for label in content.deprecated:
            # Nor one both hidden and preferred or alternative (S13 again).
            if label not in names:
                graph.add((concept, SKOS.hiddenLabel, Literal(label, lang=language)))
        if content.definition:
            graph.add((concept, SKOS.definition, Literal(content.definition, lang=language)))
        if content.note:
            graph.add((concept, SKOS.scopeNote, Literal(content.note, lang=language)))
        for source in _sources(content.source, language):
            graph.add((concept, DCTERMS.source, source))
    for target in record.see_also:
        # Only concepts of this scheme (the records and `linkable`): a partial export
        # links to nothing outside it, nor to a draft the reader may not see.
        if target in iris and target != record.slug:
            graph.add((concept, SKOS.related, iris[target]))


def _sources(source, language):
    """A source as RDF terms: each paragraph that is an address an IRI (a linked-data tool
    can follow it), any other text a literal in its language."""
    for paragraph in filter(None, (part.strip() for part in source.split("\n\n"))):
        if ADDRESS.fullmatch(paragraph):
            yield URIRef(paragraph)
        else:
            yield Literal(paragraph, lang=language)
