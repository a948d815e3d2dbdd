"""Search that finds what a salesperson types.

Every query word must match a word of the concept: as a prefix of a folded
word (case, accents, apostrophes, the middle dot and hyphens never matter), by
its French or English stem (plurals and feminines), or, for words of five
letters or more, with one typo. In definitions, a word of one or two letters (a word
still being typed: `pipeline ne`) must be a whole word: as a beginning it would match
nearly every sentence. Names come first, then definitions:

    0. the whole query is a term or acronym (`AE`, `churn rate`)
    1. a term, acronym or variant starts with the query
    2. every query word is found in the names
    3. found in definitions only

Within a tier, the engine's relevance decides (bm25 on SQLite, ts_rank on
PostgreSQL), then the A–Z order.

Wordings to avoid lead to their concept like variants, but a result found by one
only says which (`avoided`), so the page can tell the reader what to say instead.

A result found by a wording it does not show as its name (another language's term, a
variant, an acronym of the other language, or only a word of a definition) says which
(`matched`, with its language), so a suggestion never looks like it came from nowhere.
A query made only of articles and prepositions (`par`, `the`) is a word still being typed:
it matches the beginnings of names, never every definition that says "par".
"""

import functools
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from django.db import connection
from django.utils.html import escape
from django.utils.safestring import mark_safe

from terms import text
from terms.languages import fallback_order, first_present
from terms.models import (
    Concept,
    ConceptText,
    GlossaryState,
    IndexEntry,
    SearchWord,
    ShownTexts,
)
from terms.search.engines import current_engine, json_value

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 8
MAX_RESULTS = 20
CANDIDATES = 100
EXCERPT_LENGTH = 220
TYPO_MIN_LENGTH = 5
# Articles, prepositions and conjunctions of French and English, as folded.
FRENCH_FUNCTION_WORDS = "au aux ce ces de des du en et la le les ou par pour sur un une"
ENGLISH_FUNCTION_WORDS = "an and as at by for from in of on or the to with"
FUNCTION_WORDS = frozenset(f"{FRENCH_FUNCTION_WORDS} {ENGLISH_FUNCTION_WORDS}".split())
# Typo-corrected beginnings tried for a word still being typed, at most.
MAX_PREFIX_CORRECTIONS = 8


@dataclass(frozen=True)
class Match:
    """The wording a result was found by, when the result does not show it as its name."""

    text: str
    language: str
    kind: str  # "term", "acronym", "variant", or "definition" (then `text` is its word)


class FoundText(NamedTuple):
    """What a result shows of a concept in one language."""

    language: str
    term: str
    acronyms: list
    variants: list
    definition: str


class FoundConcept(ShownTexts):
    """A concept as a result shows it: its slug and its texts, read in one query of plain
    values. Model instances of 20 concepts and their texts cost the search page more than
    the full-text query (3 ms against 0.2 ms for the rows at 10,000 concepts)."""

    def __init__(self, slug):
        self.slug = slug
        self.texts = {}

    def texts_by_language(self):
        return self.texts


@dataclass
class SearchResult:
    concept: FoundConcept
    term: str
    untranslated: bool
    acronyms: list
    other_terms: list
    tier: int
    # The wording to avoid that the query found the concept by, when none of its names
    # matches as well ("vente interne" → *Vente sédentaire*); else "".
    avoided: str = ""
    # The language `term` is written in: another one's when untranslated.
    term_language: str = ""
    # What the excerpt and the match are made from: the search page shows one, the API the
    # other, so each is only worked out when asked for.
    language: str = field(default="", repr=False)
    words: list = field(default_factory=list, repr=False)
    clauses: list = field(default_factory=list, repr=False)
    # The term page's address, as the page showing the result writes it.
    url: str = ""

    @property
    def slug(self):
        return self.concept.slug

    @property
    def shown_other_terms(self):
        """The other languages' terms, less the one already shown as the term (an
        untranslated concept shows its French term in English: once is enough)."""
        return [term for term in self.other_terms if term != self.term]

    @cached_property
    def excerpt(self):
        """[[piece, highlighted], …]: the shown definition around the first matched word."""
        shown = self.concept.shown_text(self.language)
        definition = shown.definition if shown else ""
        return text.highlight(
            _excerpt(definition, self.words),
            [word for word in _matched_words(self.words) if len(word) > 1],
        )

    @cached_property
    def excerpt_html(self):
        """The excerpt as HTML: every piece escaped, the matched words in <mark>. Built here
        rather than in the template, whose loop cost a tenth of a search page."""
        return mark_safe(
            "".join(
                f"<mark>{escape(piece)}</mark>" if highlighted else escape(piece)
                for piece, highlighted in self.excerpt
            )
        )

    @cached_property
    def matched(self):
        """How the query found the concept when it is not by the name shown; else None."""
        if self.avoided:
            return None
        return _match(
            self.concept, self.language, self.words, self.clauses, [self.term, *self.acronyms]
        )


@dataclass
class SearchOutcome:
    query: str
    results: list
    did_you_mean: str = ""


def clean_query(raw):
    """The query as searched: spaces collapsed, at most MAX_QUERY_LENGTH characters."""
    return " ".join((raw or "")[: MAX_QUERY_LENGTH * 4].split())[:MAX_QUERY_LENGTH]


def query_words(query):
    return text.words_of(query)[:MAX_QUERY_WORDS]


def search(query, language, *, limit=MAX_RESULTS, domain=None, generation=None):
    """Ranked published concepts for `query`, presented in `language`, with a
    "did you mean" when nothing matches. `domain`: a domain's slug, to search its
    concepts only (an unknown slug finds nothing). `generation`: the glossary's
    (`GlossaryState.for_readers`), when the caller has read it already."""
    words = query_words(query)
    if not words:
        return SearchOutcome(query=query, results=[])
    engine = current_engine(domain=domain)
    if generation is None:
        generation = GlossaryState.for_readers()
    # Among other words, a one-letter word (an elision or an initial: `prévision
    # d’entreprise`, `e commerce`) or a function word (`de`, `the`) narrows nothing and,
    # matched as a prefix, would scan most of the index. The ranking still compares the
    # whole query with the names.
    searched = _matched_words(words)
    clauses = _clauses(searched, generation)
    # Only fillers (`par`, `the`): a word still being typed, matched against names only;
    # as a word of definitions it would find nearly every concept, for no reason a reader
    # could see.
    names_only = all(_is_filler(word) for word in searched)
    matches = _matches(engine, clauses, limit, names_only=names_only)
    if not matches and len(searched[-1]) >= TYPO_MIN_LENGTH:
        # Nothing: perhaps a typo in the word still being typed (`onbor` for `onboa…`).
        clauses = Clauses([*clauses[:-1], clauses[-1] + _prefix_corrections(searched[-1])])
        matches = _matches(engine, clauses, limit, names_only=names_only)
    if matches:
        return SearchOutcome(query=query, results=_ranked(matches, words, clauses, language, limit))
    return SearchOutcome(
        query=query, results=[], did_you_mean=_did_you_mean(words, engine, generation)
    )


def _matches(engine, clauses, limit, *, names_only=False):
    """{concept id: labels}, best first. Names rank first: definition-only matches rank
    below every name match, so they are only looked for when the names leave places."""
    matches = dict(engine.match(clauses, CANDIDATES, names_only=True))
    if len(matches) < limit and not names_only:
        # All ranked alike below the names, in the engine's order: no more are worth
        # reading (and ranking) than the places left, plus the name matches found again.
        for concept_id, labels in engine.match(clauses, limit + len(matches)):
            matches.setdefault(concept_id, labels)
    return matches


def _prefix_corrections(word):
    """Beginnings of known words one typo away from `word`, as (prefix, stems) alternatives."""
    prefixes = set()
    candidates = SearchWord.objects.filter(
        word__startswith=word[:2], length__gte=len(word) - 1
    ).values_list("word", flat=True)
    for known in candidates.order_by("length", "word")[:2000]:
        for size in (len(word) - 1, len(word), len(word) + 1):
            if size <= len(known) and text.within_one_edit(word, known[:size]):
                prefixes.add(known[:size])
    return [(prefix, frozenset()) for prefix in sorted(prefixes)[:MAX_PREFIX_CORRECTIONS]]


def _is_filler(word):
    return len(word) == 1 or word in FUNCTION_WORDS


def _matched_words(words):
    """The words a search matches by: fillers only when the query is nothing else."""
    return [word for word in words if not _is_filler(word)] or words


class Clauses(list):
    """The query's clauses, one per matched word: each a list of alternatives, (word,
    stems). Ranking compares every word of every candidate's names and definitions with
    them, and names and definitions repeat their words: each word is compared once."""

    def __init__(self, clauses):
        super().__init__(clauses)
        self._met = {}

    def met_by(self, word):
        """The positions of the clauses that a folded `word` meets: an alternative starts
        it or shares one of its stems."""
        met = self._met.get(word)
        if met is None:
            stems = text.stems_of(word)
            met = self._met[word] = frozenset(
                position
                for position, alternatives in enumerate(self)
                if any(word.startswith(start) or stems & own for start, own in alternatives)
            )
        return met

    def held_by(self, words):
        """Every clause is met by one of `words`."""
        met = set()
        for word in words:
            met |= self.met_by(word)
        return len(met) == len(self)

    def any_met_by(self, words):
        return any(self.met_by(word) for word in words)


@functools.lru_cache(maxsize=4096)
def known_corrections(word, generation):
    """Vocabulary words that may be `word` with a typo, sorted: once per worker and glossary
    `generation` (every change moves it on). Readers typing a query send its first words
    again at every key press (`vente`, `vente c`, `vente co`…)."""
    return tuple(sorted(set(current_engine().corrections(word))))


def _clauses(words, generation):
    clauses = []
    for word in words:
        alternatives = [(word, text.stems_of(word))]
        if len(word) >= TYPO_MIN_LENGTH:
            for correction in known_corrections(word, generation):
                if correction != word and text.within_one_edit(word, correction):
                    alternatives.append((correction, text.stems_of(correction)))
        clauses.append(alternatives)
    return Clauses(clauses)


def _did_you_mean(words, engine, generation):
    """The query with each unknown word replaced by its nearest known word, if any."""
    proposal = []
    changed = False
    for word in words:
        candidates = known_corrections(word, generation) if len(word) >= 4 else ()
        nearest = sorted((text.edit_distance(word, c), c) for c in candidates)
        if nearest and nearest[0][0] <= 2 and nearest[0][1] != word:
            proposal.append(nearest[0][1])
            changed = True
        else:
            proposal.append(word)
    if not changed:
        return ""
    # Only propose what finds something.
    clauses = Clauses([[(word, text.stems_of(word))] for word in proposal])
    return " ".join(proposal) if engine.match(clauses, 1) else ""


def _tier(labels, words, clauses):
    """(tier, length of the shortest name that holds every query word): shorter names
    are closer to what was typed (`chargées de comptes` → *Chargé·e de compte* before
    *Chargé·e du développement de compte*)."""
    query = " ".join(words)
    folded_labels = [text.fold_word(wording) for wording, _kind in labels]
    if query in folded_labels:
        return (0, 0)
    if any(label.startswith(query) for label in folded_labels):
        return (1, min(len(label) for label in folded_labels if label.startswith(query)))
    holding = [len(label.split()) for label in folded_labels if clauses.held_by(label.split())]
    if holding:
        return (2, min(holding))
    all_words = [w for label in folded_labels for w in label.split()]
    return (2, 99) if clauses.held_by(all_words) else (3, 0)


def _ranked(matches, words, clauses, language, limit):
    """`matches`: {concept id: its names' labels}, in the engine's order of relevance."""
    position = {concept_id: index for index, concept_id in enumerate(matches)}
    tiers = {concept_id: _tier(labels, words, clauses) for concept_id, labels in matches.items()}
    best = sorted(matches, key=lambda concept_id: (*tiers[concept_id], position[concept_id]))
    best = best[:limit]
    concepts = _found_concepts(best)
    return [
        _result(
            concepts[concept_id],
            language,
            words,
            clauses,
            tiers[concept_id][0],
            avoided=_avoided(matches[concept_id], words, clauses),
        )
        for concept_id in best
        if concept_id in concepts
    ]


def _found_concepts(concept_ids):
    """{concept id: FoundConcept} of `concept_ids`, in one query written out: the ORM's
    building of it cost four times the query itself."""
    concepts_table, texts_table = Concept._meta.db_table, ConceptText._meta.db_table
    placeholders = ", ".join(["%s"] * len(concept_ids))
    columns = ", ".join(f"t.{part}" for part in FoundText._fields)
    sql = (
        f"SELECT c.id, c.slug, {columns} FROM {concepts_table} c "
        f"LEFT JOIN {texts_table} t ON t.concept_id = c.id WHERE c.id IN ({placeholders})"
    )
    concepts = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, list(concept_ids))
        rows = cursor.fetchall()
    for concept_id, slug, language, term, acronyms, variants, definition in rows:
        concept = concepts.get(concept_id) or concepts.setdefault(concept_id, FoundConcept(slug))
        if language is not None:  # a concept without any text yet
            concept.texts[language] = FoundText(
                language, term, json_value(acronyms), json_value(variants), definition
            )
    return concepts


def _closeness(folded_label, query, clauses):
    """How closely one folded label matches the query: 0 it is the query, 1 it starts with
    it, 2 it holds every query word; None when it does not match."""
    if folded_label == query:
        return 0
    if folded_label.startswith(query):
        return 1
    return 2 if clauses.held_by(folded_label.split()) else None


def _avoided(labels, words, clauses):
    """The wording to avoid that matches the query better than any name of the concept
    (`vente int` finds *Vente sédentaire* by « Vente interne »), or ""."""
    query = " ".join(words)
    names, avoided = [], []
    for wording, kind in labels:
        closeness = _closeness(text.fold_word(wording), query, clauses)
        if closeness is not None:
            (avoided if kind == IndexEntry.Kind.DEPRECATED else names).append((closeness, wording))
    if not avoided:
        return ""
    closest, wording = min(avoided, key=lambda match: match[0])
    if names and min(closeness for closeness, _name in names) <= closest:
        return ""
    return wording


def _result(concept, language, words, clauses, tier, *, avoided=""):
    texts = concept.texts_by_language()
    own = texts.get(language)
    term, term_language = first_present(
        lambda code: texts[code].term if code in texts else "", language
    )
    return SearchResult(
        concept=concept,
        term=term,
        untranslated=not (own and own.term),
        acronyms=concept.shown("acronyms", language),
        other_terms=[other.term for other in concept.other_texts(language)],
        tier=tier,
        avoided=avoided,
        term_language=term_language,
        language=language,
        words=words,
        clauses=clauses,
    )


NAME_PARTS = (("term", "term"), ("acronym", "acronyms"), ("variant", "variants"))


def _match(concept, language, words, clauses, shown_names):
    """What the query found `concept` by, when it is not a name the result shows: the
    closest of its other names (the page's language first), else the first word of a
    definition it matched. None when a shown name matches as closely as any."""
    query = " ".join(words)
    texts = concept.texts_by_language()
    languages = [code for code in fallback_order(language) if code in texts]
    shown = {text.fold_word(name) for name in shown_names if name}
    best_shown, best_other = None, None
    for position, code in enumerate(languages):
        for kind, part in NAME_PARTS:
            value = getattr(texts[code], part)
            for wording in [value] if kind == "term" else value:
                folded = text.fold_word(wording) if wording else ""
                closeness = _closeness(folded, query, clauses) if folded else None
                if closeness is None:
                    continue
                if folded in shown:
                    best_shown = min(closeness, best_shown if best_shown is not None else 9)
                elif best_other is None or (closeness, position) < best_other[:2]:
                    best_other = (closeness, position, Match(wording, code, kind))
    if best_other and (best_shown is None or best_other[0] < best_shown):
        return best_other[2]
    if best_shown is not None or best_other:
        return None
    return _definition_match(texts, languages, clauses)


def _definition_match(texts, languages, clauses):
    """The first word of a definition (the page's language first) that a query word
    matches, as written there."""
    for code in languages:
        # Definitions repeat their words: each is compared with the query once.
        for word in text.written_words(texts[code].definition):
            if clauses.any_met_by(text.fold_word(word).split()):
                return Match(word, code, "definition")
    return None


def _excerpt(definition, words):
    """About EXCERPT_LENGTH characters of the definition, around the first matched word."""
    flat = " ".join(definition.split())
    if len(flat) <= EXCERPT_LENGTH:
        return flat
    # At the first word that starts like a query word of three letters or more (a match by
    # stem, or in the names only, starts the excerpt at the beginning).
    found = text.first_word_starting(flat, [w for w in words if len(w) > 2])
    start = max(0, found - 60) if found else 0
    if start:
        start = flat.find(" ", start) + 1
    excerpt = flat[start : start + EXCERPT_LENGTH].rsplit(" ", 1)[0]
    return ("…" if start else "") + excerpt + "…"
