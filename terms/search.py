"""Search over terms, acronyms and variants of every language, then definitions.

Matching is on folded text (case, accents, apostrophes, the middle dot and
punctuation ignored) and ranked: the whole wording, then wordings that start
with the query, then wordings with a word that starts with it, then
definitions.
"""

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When

from terms import text
from terms.models import Concept, ConceptText, IndexEntry, content_languages

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 50
EXCERPT_LENGTH = 220


@dataclass
class SearchResult:
    concept: Concept
    term: str
    untranslated: bool
    acronyms: list
    other_terms: list
    excerpt: str
    matched: str


def clean_query(raw):
    """The query as searched: spaces collapsed, at most MAX_QUERY_LENGTH characters."""
    return " ".join((raw or "")[: MAX_QUERY_LENGTH * 4].split())[:MAX_QUERY_LENGTH]


def search(query, language, *, limit=MAX_RESULTS):
    """Ranked published concepts for `query`, presented in `language`. Four queries at most."""
    folded = text.fold(query)
    if not folded:
        return []
    rank = Case(
        When(folded=folded, then=Value(0)),
        When(folded__startswith=folded, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    matches = (
        IndexEntry.objects.filter(is_published=True)
        .filter(Q(folded__startswith=folded) | Q(folded__contains=" " + folded))
        .annotate(rank=rank)
        .order_by("rank", "sort_key")
        .values_list("concept_id", "text")[: limit * 6]
    )
    ranked = {}
    for concept_id, wording in matches:
        ranked.setdefault(concept_id, wording)
        if len(ranked) >= limit:
            break
    if len(ranked) < limit:
        in_definitions = (
            ConceptText.objects.filter(concept__status="published", definition__icontains=query)
            .exclude(concept_id__in=list(ranked))
            .order_by("concept__slug")
            .values_list("concept_id", flat=True)[: limit - len(ranked)]
        )
        for concept_id in in_definitions:
            ranked.setdefault(concept_id, "")
    concepts = Concept.objects.with_texts().in_bulk(list(ranked))
    return [
        _result(concepts[concept_id], language, matched)
        for concept_id, matched in ranked.items()
        if concept_id in concepts
    ]


def _result(concept, language, matched):
    texts = concept.texts_by_language()
    own = texts.get(language)
    definition = own.definition if own and own.definition else ""
    if not definition:
        definition = next((t.definition for t in texts.values() if t.definition), "")
    acronyms = list(own.acronyms) if own else []
    if not acronyms:
        acronyms = [a for t in texts.values() for a in t.acronyms]
    return SearchResult(
        concept=concept,
        term=concept.display_term(language),
        untranslated=not (own and own.term),
        acronyms=acronyms,
        other_terms=[
            texts[code].term
            for code in content_languages()
            if code != language and code in texts and texts[code].term
        ],
        excerpt=_excerpt(definition),
        matched=matched,
    )


def _excerpt(definition):
    flat = " ".join(definition.split())
    if len(flat) <= EXCERPT_LENGTH:
        return flat
    return flat[:EXCERPT_LENGTH].rsplit(" ", 1)[0] + "…"
