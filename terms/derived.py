"""Everything derived from the concepts' texts: A–Z index rows, search documents, the
vocabulary for typos, linked definitions and mentions, and the cache generation.

None of it is ever typed in. The writer (terms/writer.py) calls `refresh` once at the
end of each change, whatever the number of concepts; the builders below are pure
functions of a concept's status and contents, so they can run before the write
transaction as well as inside it.
"""

from django.db import transaction

from terms import mentions, text
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
from terms.records import PARTS, Content

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
# Ids in one IN (…) list: far below SQLite's and PostgreSQL's parameter limits, and
# above what one change touches but for the largest imports, so that the number of
# queries does not grow with the number of concepts changed.
ID_CHUNK = 20_000


def chunks(ids):
    ids = list(ids)
    return [ids[start : start + ID_CHUNK] for start in range(0, len(ids), ID_CHUNK)]


@transaction.atomic
def refresh(concept_ids, *, changed_wordings=frozenset()):
    """Rebuild what derives from `concept_ids` (index rows, search documents, vocabulary),
    relink the definitions that a change of `changed_wordings` may affect, and make every
    cached page stale: one generation bump, whatever the number of concepts.

    Texts are read afresh, so the caller's view of them never matters. Deleted concepts
    take their rows with them; their wordings belong in `changed_wordings`.
    """
    for chunk in chunks(concept_ids):
        rebuild_rows(chunk, load_contents(chunk))
    mentions.relink(concept_ids, changed_wordings)
    GlossaryState.bump()


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
    ).values_list("concept_id", "language", *PARTS):
        if concept_id in found:
            term, acronyms, variants, definition = parts
            found[concept_id][1][language] = Content(
                term, tuple(acronyms), tuple(variants), definition
            )
    return found


def rebuild_rows(concept_ids, contents_of):
    """Replace the index rows and search documents of `concept_ids` with those built from
    `contents_of` ({concept id: (published, {language: Content})}; a concept missing from
    it has been deleted)."""
    entries, documents, words = [], [], set()
    for concept_id, (published, contents) in contents_of.items():
        entries += index_entries(concept_id, published, contents)
        document = search_document(concept_id, published, contents)
        documents.append(document)
        words |= vocabulary_of(document[SEARCH_DOCUMENT_FIELDS.index("names")])
    IndexEntry.objects.filter(concept_id__in=concept_ids).delete()
    SearchDocument.objects.filter(concept_id__in=concept_ids).delete()
    insert_rows(IndexEntry, INDEX_ENTRY_FIELDS, entries)
    insert_rows(SearchDocument, SEARCH_DOCUMENT_FIELDS, documents)
    insert_rows(
        SearchWord,
        ["word", "length"],
        [(word, len(word)) for word in sorted(words)],
        ignore_conflicts=True,
    )


def index_entries(concept_id, published, contents):
    """The index rows of one concept, for every page language, in `INDEX_ENTRY_FIELDS` order.

    On a page in language L: the concept's term as L shows it (its own, else the
    fallback, marked untranslated), L's acronyms and variants, and the acronyms of
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
        text.stemmed(body),
        labels,
    )


def vocabulary_of(names):
    """Name words long enough for typo tolerance (the SPEC: five letters or more)."""
    return {word for word in names.split() if 5 <= len(word) <= 64}
