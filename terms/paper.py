"""The glossary on paper: every published concept A–Z on one page, as a new hire's handout.

Built from the A–Z index's term rows (their order, letters and fallback labels are
already computed) and the concepts' texts: two queries however large the glossary.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils import timezone

from terms.index import group_by_letter
from terms.languages import content_languages, first_present
from terms.models import ConceptText, GlossaryState, IndexEntry, Status

# A generation moves to at least the time of the change in microseconds (GlossaryState):
# below this one (2001), it is a mere counter and says nothing of when.
FIRST_TIMESTAMP_GENERATION = 10**15


@dataclass
class PaperEntry:
    letter: str  # the A–Z letter it files under on the page's language
    term: str
    term_language: str
    acronyms: list
    acronyms_language: str
    others: list  # [(language, term)] of the other languages that have a term
    definition: str
    definition_language: str


@dataclass
class Paper:
    language: str
    groups: list  # [LetterGroup] of PaperEntry
    edition: datetime
    count: int = field(default=0)


def whole_glossary(language):
    """Every published concept, A–Z by its term on the page's language (or its fallback)."""
    rows = list(
        IndexEntry.objects.filter(language=language, is_published=True, kind=IndexEntry.Kind.TERM)
        .order_by("sort_key", "text", "concept_id")
        .values_list("concept_id", "letter")
    )
    texts = {}
    for concept_id, code, term, acronyms, definition in ConceptText.objects.filter(
        concept__status=Status.PUBLISHED
    ).values_list("concept_id", "language", "term", "acronyms", "definition"):
        texts.setdefault(concept_id, {})[code] = (term, acronyms or [], definition)
    entries = [_entry(letter, texts.get(concept_id, {}), language) for concept_id, letter in rows]
    return Paper(
        language=language,
        groups=group_by_letter(entries),
        edition=edition_time(),
        count=len(entries),
    )


def edition_time():
    """When the glossary last changed: the printed edition's date."""
    generation = GlossaryState.current()
    if generation < FIRST_TIMESTAMP_GENERATION:
        return timezone.now()
    return datetime.fromtimestamp(generation / 1_000_000, tz=UTC)


def _entry(letter, texts, language):
    def part(index):
        return first_present(lambda code: texts[code][index] if code in texts else "", language)

    term, term_language = part(0)
    acronyms, acronyms_language = part(1)
    definition, definition_language = part(2)
    return PaperEntry(
        letter=letter,
        term=term,
        term_language=term_language,
        acronyms=list(acronyms),
        acronyms_language=acronyms_language,
        others=[
            (code, texts[code][0])
            for code in content_languages()
            if code != term_language and code in texts and texts[code][0]
        ],
        definition=definition,
        definition_language=definition_language,
    )
