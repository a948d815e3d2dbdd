"""What the reader pages show: the letter bar, the A–Z lists, the domains and a term page.

Each function runs a fixed number of queries whatever the glossary's size;
the tests count them at 10 and at many concepts.
"""

import functools
import re
import string
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import URLValidator
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse

from terms.languages import fallback_order, first_present
from terms.mentions import paragraphs_of
from terms.models import Concept, Domain, IndexEntry, Status
from terms.text import letter_of, segments_of, sort_key

OTHER_LETTER = "#"
OTHER_LETTER_URL = "0-9"
LETTERS = [*string.ascii_uppercase, OTHER_LETTER]
# The home lists every entry while the glossary is small, else the first ones.
HOME_ENTRY_LIMIT = 120
LETTER_PAGE_SIZE = 200
# A domain page lists one entry per concept: a few hundred read in one go.
DOMAIN_PAGE_SIZE = 300
# A word that every other definition uses would bury the page under links.
MAX_MENTIONED_IN = 40


@dataclass
class LetterLink:
    letter: str
    url: str
    has_entries: bool
    current: bool = False

    @property
    def label(self):
        return "0–9" if self.letter == OTHER_LETTER else self.letter


@dataclass
class LetterGroup:
    letter: str
    entries: list
    url: str = ""

    @property
    def label(self):
        return "0–9" if self.letter == OTHER_LETTER else self.letter


@dataclass
class HomePage:
    letters: list
    groups: list
    truncated: bool
    concept_count: int
    domains: list = field(default_factory=list)


@dataclass
class DomainLink:
    """A domain as a link: its name on the page's language (the fallback rule)."""

    slug: str
    name: str
    url: str
    count: int = 0  # its published concepts, where the page says how many


@dataclass
class DomainPage:
    """The A–Z of one domain's published concepts: one entry each, under its letter."""

    domain: DomainLink
    groups: list
    page: object


@dataclass
class LetterPage:
    letter: str
    letters: list
    page: object

    @property
    def label(self):
        return "0–9" if self.letter == OTHER_LETTER else self.letter


@dataclass
class TermPage:
    language: str
    term: str
    untranslated: bool
    acronyms: list
    variants: list
    other_languages: list
    definition: str
    definition_language: str
    definition_paragraphs: list
    # Wordings to avoid, the note and the source, each with the language it is shown in
    # (the page's, or the fallback's when the page's language lacks it).
    deprecated: list = field(default_factory=list)
    deprecated_language: str = ""
    note: str = ""
    note_language: str = ""
    source_pieces: list = field(default_factory=list)  # [(text, address or None)]
    source_language: str = ""
    domains: list = field(default_factory=list)  # [DomainLink]
    see_also: list = field(default_factory=list)
    mentioned_in: list = field(default_factory=list)
    mentioned_in_more: int = 0
    # The languages the term, acronyms and variants are shown in (another one's when the
    # page's language lacks them), for their `lang` attributes.
    term_language: str = ""
    acronyms_language: str = ""
    variants_language: str = ""

    @property
    def letter(self):
        return letter_of(self.term)

    @property
    def letter_label(self):
        return "0–9" if self.letter == OTHER_LETTER else self.letter

    @property
    def letter_url(self):
        return letter_url(self.letter)


def letter_url(letter):
    token = OTHER_LETTER_URL if letter == OTHER_LETTER else letter
    return reverse("terms:letter", kwargs={"letter": token})


def canonical_letter(token):
    """The URL form of a letter (`a` → `A`), or None when it is not one of ours."""
    if token == OTHER_LETTER_URL:
        return token
    if len(token) == 1 and token.upper() in string.ascii_uppercase:
        return token.upper()
    return None


def _db_letter(token):
    return OTHER_LETTER if token == OTHER_LETTER_URL else token


def published_entries(language):
    return IndexEntry.objects.filter(language=language, is_published=True).order_by(
        "sort_key", "text", "concept_id"
    )


def letter_bar(language, current=None):
    """All letters, each marked with whether it has entries. One query."""
    used = set(published_entries(language).order_by().values_list("letter", flat=True).distinct())
    return [
        LetterLink(letter, letter_url(letter), letter in used, current == letter)
        for letter in LETTERS
    ]


def letter_has_entries(language, token):
    """Whether the letter page of `token` (`O`, `0-9`) lists anything in `language`:
    what the language switch asks before landing on it. One query."""
    letter = canonical_letter(token)
    if letter is None:
        return False
    return published_entries(language).filter(letter=_db_letter(letter)).exists()


def group_by_letter(entries):
    groups = []
    for entry in entries:
        if not groups or groups[-1].letter != entry.letter:
            groups.append(LetterGroup(entry.letter, [], letter_url(entry.letter)))
        groups[-1].entries.append(entry)
    return groups


def home_page(language):
    """The letter bar and the index, or its first letters when the glossary is large."""
    entries = list(
        published_entries(language)
        .select_related("concept")
        .only("text", "label", "kind", "letter", "untranslated", "concept__slug")[
            : HOME_ENTRY_LIMIT + 1
        ]
    )
    truncated = len(entries) > HOME_ENTRY_LIMIT
    groups = group_by_letter(entries[:HOME_ENTRY_LIMIT])
    if truncated and len(groups) > 1:
        groups.pop()  # a letter cut in the middle reads as complete; show it whole or not
    return HomePage(
        letters=letter_bar(language),
        groups=groups,
        truncated=truncated,
        concept_count=Concept.objects.published().count(),
        domains=domain_links(language),
    )


def letter_page(language, token, page_number=1):
    letter = _db_letter(token)
    entries = (
        published_entries(language)
        .filter(letter=letter)
        .select_related("concept")
        .only("text", "label", "kind", "letter", "untranslated", "concept__slug")
    )
    page = Paginator(entries, LETTER_PAGE_SIZE).get_page(page_number)
    return LetterPage(letter=letter, letters=letter_bar(language, current=letter), page=page)


def domain_links(language):
    """The domains that have published concepts, A–Z by their names in `language` (the
    index's collation), each with its count of published concepts. One query."""
    published = Count("concepts", filter=Q(concepts__status=Status.PUBLISHED))
    links = [
        DomainLink(domain.slug, domain.name(language), domain.get_absolute_url(), domain.published)
        for domain in Domain.objects.annotate(published=published).order_by()
        if domain.published
    ]
    return sorted(links, key=lambda link: (sort_key(link.name), link.slug))


@functools.lru_cache(maxsize=16)
def domain_choices(language, generation):
    """The domains that have published concepts, A–Z by name in `language`, without their
    counts: what a search page offers to filter by, on every search it renders. One query,
    an EXISTS per domain that stops at its first published concept, once per worker and
    glossary `generation` (`GlossaryState`): every change moves it on."""
    members = Concept.domains.through.objects.filter(
        domain=OuterRef("pk"), concept__status=Status.PUBLISHED
    )
    links = [
        DomainLink(domain.slug, domain.name(language), domain.get_absolute_url())
        for domain in Domain.objects.filter(Exists(members)).order_by()
    ]
    return sorted(links, key=lambda link: (sort_key(link.name), link.slug))


def domain_page(domain, language, page_number=1):
    """One domain's published concepts A–Z, by their terms on the page (the index's TERM
    rows: sort keys and the fallback already computed). Two queries: a count, a page."""
    entries = (
        published_entries(language)
        .filter(
            kind=IndexEntry.Kind.TERM,
            concept_id__in=Concept.domains.through.objects.filter(domain=domain).values(
                "concept_id"
            ),
        )
        .select_related("concept")
        .only("text", "label", "kind", "letter", "untranslated", "concept__slug")
    )
    page = Paginator(entries, DOMAIN_PAGE_SIZE).get_page(page_number)
    link = DomainLink(domain.slug, domain.name(language), domain.get_absolute_url())
    return DomainPage(domain=link, groups=group_by_letter(page.object_list), page=page)


def term_page(concept, language, *, include_drafts=False):
    """Everything a term page shows, in `language`. `concept` must have its texts prefetched."""
    texts = concept.texts_by_language()
    own = texts.get(language)
    shown = concept.shown_text(language)
    others = [
        {"language": other.language, "term": other.term, "acronyms": other.acronyms}
        for other in concept.other_texts(language)
    ]

    def part(name):
        return first_present(
            lambda code: getattr(texts[code], name) if code in texts else "", language
        )

    term, term_language = part("term")
    acronyms, acronyms_language = part("acronyms")
    variants, variants_language = part("variants")
    deprecated, deprecated_language = part("deprecated")
    note, note_language = part("note")
    source, source_language = part("source")
    mentioned_in = _linked(concept.mentioned_in, language, include_drafts)
    see_also, mentioned_in_shown = _with_label_languages(
        language,
        _linked(concept.see_also, language, include_drafts)[:MAX_MENTIONED_IN],
        mentioned_in[:MAX_MENTIONED_IN],
    )
    return TermPage(
        language=language,
        term=term,
        untranslated=not (own and own.term),
        acronyms=list(acronyms),
        variants=list(variants),
        other_languages=others,
        definition=shown.definition if shown else "",
        definition_language=shown.language if shown else language,
        definition_paragraphs=_linked_paragraphs(concept, shown, include_drafts),
        deprecated=list(deprecated),
        deprecated_language=deprecated_language,
        note=note,
        note_language=note_language,
        source_pieces=source_pieces(source),
        source_language=source_language,
        domains=_domains_of(concept, language),
        see_also=see_also,
        mentioned_in=mentioned_in_shown,
        mentioned_in_more=_count_beyond(concept.mentioned_in, mentioned_in, include_drafts),
        term_language=term_language,
        acronyms_language=acronyms_language,
        variants_language=variants_language,
    )


def _domains_of(concept, language):
    """The concept's domains A–Z by name in `language`: one query (none when prefetched)."""
    links = [
        DomainLink(domain.slug, domain.name(language), domain.get_absolute_url())
        for domain in concept.domains.all()
    ]
    return sorted(links, key=lambda link: (sort_key(link.name), link.slug))


# An address in a source: http(s) only (never javascript: or data:), up to a space or a
# character that cannot end one; punctuation that closes the sentence is left out.
ADDRESS = re.compile(r"https?://[^\s<>\"«»]+", re.IGNORECASE)
CLOSING_PUNCTUATION = ".,;:!?’'\")]»"
is_web_address = URLValidator(schemes=["http", "https"])


def source_pieces(source):
    """A source as [(text, address or None)]: the http(s) addresses it holds become links,
    the rest stays text (escaped by the template like any text an editor typed)."""
    pieces = []
    position = 0
    for match in ADDRESS.finditer(source):
        address = match.group().rstrip(CLOSING_PUNCTUATION)
        if address.count("(") > address.count(")") and match.group()[len(address) :][:1] == ")":
            address += ")"  # a parenthesis that belongs to the address (a wiki page)
        try:
            is_web_address(address)
        except ValidationError:
            continue
        if match.start() > position:
            pieces.append((source[position : match.start()], None))
        pieces.append((address, address))
        position = match.start() + len(address)
    if position < len(source):
        pieces.append((source[position:], None))
    return pieces


def _linked_paragraphs(concept, shown, include_drafts):
    """The shown definition's paragraphs, each a list of (text, slug-or-None).

    Links go only to concepts the reader may open: one query for their slugs.
    """
    if shown is None:
        return []
    segments = segments_of(shown.definition, shown.definition_links) or [[shown.definition, None]]
    targets = concept.mentions.all() if include_drafts else concept.mentions.published()
    slugs = dict(targets.values_list("id", "slug")) if any(t for _p, t in segments) else {}
    resolved = [(piece, slugs.get(target)) for piece, target in segments]
    return paragraphs_of(resolved)


def _linked(manager, language, include_drafts):
    """Rows (sort key, label, slug, concept id, untranslated) of linked concepts in A–Z
    order, at most MAX_MENTIONED_IN + 1.

    Read from the index rows, whose labels and sort keys are already computed:
    two queries however many concepts link here.
    """
    concepts = manager.all() if include_drafts else manager.published()
    ids = list(concepts.values_list("pk", flat=True))
    rows = IndexEntry.objects.filter(
        concept_id__in=ids, language=language, kind=IndexEntry.Kind.TERM
    ).values_list("sort_key", "label", "concept__slug", "concept_id", "untranslated")
    # Sorted here: the rows are few, and ordering in SQL tempts the planner to walk
    # the whole A–Z index instead of looking the concepts up.
    return sorted(rows)[: MAX_MENTIONED_IN + 1]


def _with_label_languages(language, *row_lists):
    """Each list of `_linked` rows as [(label, slug, the label's language)]: an untranslated
    concept is named in the first language of the fallback order that has its term, for
    the link's `lang`. One query, only when some linked concept is untranslated."""
    untranslated = {row[3] for rows in row_lists for row in rows if row[4]}
    terms_in = {}
    if untranslated:
        for concept_id, code in IndexEntry.objects.filter(
            concept_id__in=untranslated, kind=IndexEntry.Kind.TERM, untranslated=False
        ).values_list("concept_id", "language"):
            terms_in.setdefault(concept_id, set()).add(code)

    def language_of(concept_id, is_untranslated):
        if not is_untranslated:
            return language
        found = terms_in.get(concept_id, ())
        return next((code for code in fallback_order(language) if code in found), language)

    return [
        [
            (label, slug, language_of(concept_id, flag))
            for _key, label, slug, concept_id, flag in rows
        ]
        for rows in row_lists
    ]


def _count_beyond(manager, shown, include_drafts):
    """How many linked concepts the page leaves out (a query only when it leaves some)."""
    if len(shown) <= MAX_MENTIONED_IN:
        return 0
    concepts = manager.all() if include_drafts else manager.published()
    return concepts.count() - MAX_MENTIONED_IN
