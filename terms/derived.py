"""Everything derived from the concepts' texts: A–Z index rows, search documents, the
vocabulary for typos, linked definitions and mentions, and the cache generation.

None of it is ever typed in. Deriving is cut in two so that a large import holds the
database only while it writes (terms/writer.py):

- `prepare` computes, from the concepts as they will be, every derived row and every
  linked definition that the change touches — reading the glossary, never writing it;
- `apply` writes them, inside the writer's transaction, once the new concepts have ids,
  and bumps the cache generation once, whatever the number of concepts.

`refresh` does both for concepts already written (a form's save, a status change).
"""

import json
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import connection

from terms import halves, mentions, text, vectors
from terms.bulk import insert_rows
from terms.languages import content_languages, first_present
from terms.models import (
    Concept,
    ConceptText,
    GlossaryState,
    IndexEntry,
    SearchDocument,
    SearchWord,
    Status,
)
from terms.records import STORED_PARTS, Content

INDEX_ENTRY_FIELDS = [
    "concept",
    "language",
    "kind",
    "text",
    "label",
    "untranslated",
    "is_published",
    "sort_key",
    "letter",
    "folded",
]
SEARCH_DOCUMENT_FIELDS = [
    "concept",
    "is_published",
    "names",
    "name_stems",
    "body",
    "body_stems",
    "labels",
]
NAMES = SEARCH_DOCUMENT_FIELDS.index("names")


class New(NamedTuple):
    """A concept that has no id yet: an import's new row, known by its slug."""

    slug: str


@dataclass
class Prepared:
    """What a change derives, ready to write. Concepts are keys: an id, or `New(slug)`."""

    keys: list  # the concepts whose rows are rebuilt
    entries: list = field(default_factory=list)  # index rows, a key in place of the id
    documents: list = field(default_factory=list)  # search rows, likewise
    words: set = field(default_factory=set)
    scope: list = field(default_factory=list)  # the concepts whose definitions are relinked
    links: list = field(default_factory=list)  # [(key, language, spans)] to write
    mentions: list = field(default_factory=list)  # [(key, target key)]

    def links_by_text(self, new_ids):
        """{(concept id, language): spans with target ids} of `links`, once `new_ids`
        ({slug: id}) are known: the writer inserts new texts with theirs at once, and
        `apply` writes the others."""
        id_of = _id_of(new_ids)
        return {
            (id_of(key), language): [[start, end, id_of(target)] for start, end, target in spans]
            for key, language, spans in self.links
        }


def refresh(concept_ids, *, changed_wordings=frozenset()):
    """Rebuild what derives from `concept_ids`, already written, relink the definitions that
    a change of `changed_wordings` may affect, and make every cached page stale. To be called
    inside the writer's transaction."""
    prepared = prepare(load_contents(concept_ids), changed_wordings=changed_wordings)
    apply(prepared, {}, prepared.links_by_text({}))


def load_contents(concept_ids):
    """{concept id: (published, {language: Content})} of existing concepts. Two queries."""
    found = {
        concept_id: (status == Status.PUBLISHED, {})
        for concept_id, status in Concept.objects.filter(pk__in=concept_ids).values_list(
            "pk", "status"
        )
    }
    for concept_id, language, *parts in ConceptText.objects.filter(
        concept_id__in=concept_ids
    ).values_list("concept_id", "language", *STORED_PARTS):
        if concept_id in found:
            found[concept_id][1][language] = Content.from_row(parts)
    return found


def prepare(contents_of, *, changed_wordings=frozenset(), removed=frozenset()):
    """Everything derived from `contents_of` ({key: (published, {language: Content})}, the
    concepts as they will be), and the definitions to relink: theirs, and those of other
    concepts that may name a wording that appears or disappears (`changed_wordings`).
    `removed` are ids of concepts about to be deleted. Reads the glossary, never writes."""
    prepared = Prepared(keys=list(contents_of))
    # The names every definition may use: the changed concepts' new ones, the others' own.
    ranks = {key: (0, key) if isinstance(key, int) else (1, n) for n, key in enumerate(contents_of)}
    names = []
    for key, (_published, contents) in contents_of.items():
        names += mentions.names_of(key, contents, ranks[key])
    untouched = {}  # {concept id: {language: Content}} of the other concepts
    for concept_id, language, term, acronyms, variants, unlinked in ConceptText.objects.values_list(
        "concept_id", "language", "term", "acronyms", "variants", "unlinked"
    ):
        if concept_id not in contents_of and concept_id not in removed:
            untouched.setdefault(concept_id, {})[language] = Content(
                term, tuple(acronyms), tuple(variants), unlinked=tuple(unlinked)
            )
    for concept_id, contents in untouched.items():
        names += mentions.names_of(concept_id, contents, (0, concept_id))
    matcher = mentions.build_matcher(names)

    definitions = [
        (key, language, content.definition, None)
        for key, (_published, contents) in contents_of.items()
        for language, content in contents.items()
        if content.definition
    ]
    candidates = mentions.concepts_that_may_name(changed_wordings) if changed_wordings else set()
    others = ConceptText.objects.exclude(definition="").exclude(concept_id__in=list(removed))
    if candidates is not None:
        others = others.filter(concept_id__in=list(candidates))
    if candidates is None or candidates:
        definitions += [
            (concept_id, language, definition, links)
            for concept_id, language, definition, links in others.values_list(
                "concept_id", "language", "definition", "definition_links"
            )
            if concept_id not in contents_of
        ]

    def derive(concepts, definitions):
        """What `concepts` and `definitions` give, as plain values (terms/halves.py)."""
        entries, documents, words, linked = [], [], set(), []
        for key, (published, contents) in concepts:
            entries += index_entries(key, published, contents)
            document = search_document(key, published, contents)
            documents.append(document)
            words |= vocabulary_of(document[NAMES])
        for key, language, definition, links in definitions:
            spans = matcher.spans(definition, exclude=key)
            targets = text.linked_targets(spans)
            linked.append((key, language, None if spans == links else spans, targets))
        return entries, documents, words, linked

    scope = dict.fromkeys(contents_of)
    for entries, documents, words, linked in halves.in_two(
        derive, list(contents_of.items()), definitions
    ):
        prepared.entries += entries
        prepared.documents += documents
        prepared.words |= words
        for key, language, spans, targets in linked:
            scope[key] = None
            prepared.mentions += [(key, target) for target in targets]
            if spans is not None:
                prepared.links.append((key, language, spans))
    prepared.scope = list(scope)
    return prepared


def _id_of(new_ids):
    def id_of(key):
        return new_ids[key.slug] if isinstance(key, New) else key

    return id_of


def apply(prepared, new_ids, links, ahead=None):
    """Write what `prepare` computed; `new_ids` are {slug: id} of the concepts it knew as
    `New(slug)`, `links` the definitions' links still to write (`links_by_text`, less those
    of texts inserted with theirs), `ahead` what `documents_ahead` yielded, if it was used.
    Ends with the one generation bump of the change."""
    id_of = _id_of(new_ids)
    concept_ids = [id_of(key) for key in prepared.keys]
    for chunk in chunks(concept_ids):
        IndexEntry.objects.filter(concept_id__in=chunk).delete()
        SearchDocument.objects.filter(concept_id__in=chunk).delete()
    insert_rows(
        IndexEntry, INDEX_ENTRY_FIELDS, [(id_of(row[0]), *row[1:]) for row in prepared.entries]
    )
    insert_rows(
        SearchWord,
        ["word", "length"],
        [(word, len(word)) for word in sorted(prepared.words)],
        ignore_conflicts=True,
    )
    _save_links([(spans, concept_id, language) for (concept_id, language), spans in links.items()])
    through = Concept.mentions.through
    for chunk in chunks([id_of(key) for key in prepared.scope]):
        through.objects.filter(from_concept_id__in=chunk).delete()
    insert_rows(
        through,
        ["from_concept", "to_concept"],
        sorted({(id_of(source), id_of(target)) for source, target in prepared.mentions}),
    )
    # Last: what the second connection computes meanwhile (`documents_ahead`) is the most
    # likely to be ready.
    if ahead is not None:
        ahead.insert()
    else:
        _insert_documents(document_rows(prepared, new_ids))
    GlossaryState.bump()


def document_rows(prepared, new_ids):
    """The search documents of `prepared`, with their concepts' ids."""
    id_of = _id_of(new_ids)
    return [(id_of(row[0]), *row[1:]) for row in prepared.documents]


def _insert_documents(rows):
    if connection.vendor == "postgresql":
        vectors.insert(rows)
    else:
        insert_rows(SearchDocument, SEARCH_DOCUMENT_FIELDS, rows, triggered=True)


@contextmanager
def documents_ahead(prepared, new_ids):
    """On PostgreSQL, for thousands of documents: their search vectors computed on a second
    connection while the `with` block writes the rest; pass what it yields to `apply`.
    Else None, and `apply` computes them."""
    if not vectors.Ahead.worth_it(len(prepared.documents)):
        yield None
        return
    ahead = vectors.Ahead(document_rows(prepared, new_ids))
    try:
        yield ahead
    finally:
        ahead.close()


def _save_links(rows):
    """Write `definition_links` of many texts, (links, concept id, language) each: one
    prepared UPDATE run for all, many times faster than bulk_update's CASE expressions."""
    if not rows:
        return
    table = connection.ops.quote_name(ConceptText._meta.db_table)
    placeholder = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET definition_links = {placeholder} "
            "WHERE concept_id = %s AND language = %s",
            [
                (json.dumps(links, ensure_ascii=False), concept_id, language)
                for links, concept_id, language in rows
            ],
        )


# Ids in one IN (…) list: far below SQLite's and PostgreSQL's parameter limits, and
# above what one change touches but for the largest imports, so that the number of
# queries does not grow with the number of concepts changed.
ID_CHUNK = 20_000


def chunks(ids):
    ids = list(ids)
    return [ids[start : start + ID_CHUNK] for start in range(0, len(ids), ID_CHUNK)]


def index_entries(concept_id, published, contents):
    """The index rows of one concept, for every page language, in `INDEX_ENTRY_FIELDS` order.

    On a page in language L: the concept's term as L shows it (its own, else the
    fallback, marked untranslated), L's acronyms, variants and wordings to avoid (kind
    DEPRECATED: the page tells readers to say the term instead), and the acronyms of
    the other languages too (readers hear `CSM` whatever language they read).
    """
    empty = Content()
    entries = []
    for language in content_languages():
        own = contents.get(language, empty)
        label, _code = first_present(lambda code: contents.get(code, empty).term, language)
        if not label:
            continue
        wordings = [(IndexEntry.Kind.TERM, label)]
        wordings += [(IndexEntry.Kind.ACRONYM, acronym) for acronym in own.acronyms]
        wordings += [(IndexEntry.Kind.VARIANT, variant) for variant in own.variants]
        wordings += [(IndexEntry.Kind.DEPRECATED, wording) for wording in own.deprecated]
        for code in content_languages():
            if code != language:
                other = contents.get(code, empty)
                wordings += [(IndexEntry.Kind.ACRONYM, acronym) for acronym in other.acronyms]
        first_kind = {}
        for kind, wording in wordings:
            first_kind.setdefault(wording, kind)  # a wording is listed once per page
        untranslated = not own.term
        entries += [
            (
                concept_id,
                language,
                kind,
                wording[:255],
                label[:255],
                untranslated,
                published,
                text.sort_key(wording),
                text.letter_of(wording),
                text.fold_word(wording)[:255],
            )
            for wording, kind in first_kind.items()
        ]
    return entries


def search_document(concept_id, published, contents):
    """One concept's search row, in `SEARCH_DOCUMENT_FIELDS` order."""
    labels = []
    definitions = []
    for language in sorted(contents):
        content = contents[language]
        if content.term:
            labels.append([content.term, IndexEntry.Kind.TERM])
        labels += [[acronym, IndexEntry.Kind.ACRONYM] for acronym in content.acronyms]
        labels += [[variant, IndexEntry.Kind.VARIANT] for variant in content.variants]
        labels += [[wording, IndexEntry.Kind.DEPRECATED] for wording in content.deprecated]
        if content.definition:
            definitions.append(content.definition)
    names = " ".join(text.fold(wording) for wording, _kind in labels)
    body = " ".join(text.fold(definition) for definition in definitions)
    return (
        concept_id,
        published,
        names,
        text.stemmed(names),
        body,
        text.distinct_stems(body),
        labels,
    )


def vocabulary_of(names):
    """Name words long enough for typo tolerance (the SPEC: five letters or more)."""
    return {word for word in names.split() if 5 <= len(word) <= 64}
