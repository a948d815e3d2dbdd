"""The concept record: a concept as one plain, typed value.

Every file format reads and writes records (terms/interchange/), and every change
to the glossary is a record handed to the writer (terms/writer.py): the admin's
form, an import, a restore. A record knows nothing of the database; `load_records`
reads records from it.

A record read from a file may be partial: `None` in a field means "the file does
not say", and `ConceptRecord.over(current)` fills such fields from the concept as
it stands (a spreadsheet without a `definition_en` column leaves English
definitions alone). A record stored or exported is complete: no `None` anywhere.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime

from terms import text
from terms.languages import content_languages, first_present
from terms.models import Concept, ConceptText, Status

# A language's content, in the interchange order of its columns.
PARTS = ("term", "acronyms", "variants", "deprecated", "definition", "note", "source")
# What the glossary stores of a language besides: an editorial setting of the glossary
# itself, kept in history but in no interchange file (a file never clears it).
STORED_PARTS = (*PARTS, "unlinked")
LIST_PARTS = ("acronyms", "variants", "deprecated", "unlinked")


@dataclass(frozen=True)
class Content:
    """A concept's wording and definition in one language. `None`: not given (a partial
    record); lists are tuples, so a record can be compared and hashed."""

    term: str | None = ""
    acronyms: tuple[str, ...] | None = ()
    variants: tuple[str, ...] | None = ()
    deprecated: tuple[str, ...] | None = ()  # wordings to avoid: they lead here, never name it
    definition: str | None = ""
    note: str | None = ""  # how to use the term, or an example
    source: str | None = ""  # where the definition comes from: text or an address
    # Wordings of this language that definitions never link to the concept by themselves
    # (an ordinary word: "Découverte"), as editors marked them. No file carries them: unless
    # given (the editors' form), a content says nothing of them and the concept keeps its.
    unlinked: tuple[str, ...] | None = None

    @classmethod
    def from_row(cls, values):
        """A stored content from its STORED_PARTS values as the database gives them."""
        return cls(
            *(
                tuple(value or ()) if part in LIST_PARTS else value or ""
                for part, value in zip(STORED_PARTS, values, strict=True)
            )
        )

    def __bool__(self):
        return any(getattr(self, part) for part in PARTS)

    def names(self):
        """Every wording that names the concept in this language (not those to avoid)."""
        return [*([self.term] if self.term else []), *self.acronyms, *self.variants]

    def wordings(self):
        """Every wording that leads to the concept in this language, those to avoid included."""
        return [*self.names(), *self.deprecated]

    def linked_names(self):
        """The names definitions link to the concept by themselves: all but those editors
        marked as not to link."""
        unlinked = {text.fold(wording) for wording in self.unlinked or ()}
        return [name for name in self.names() if text.fold(name) not in unlinked]

    def over(self, current):
        """This content with what it does not say taken from `current`."""
        return Content(
            **{
                part: getattr(current, part) if getattr(self, part) is None else getattr(self, part)
                for part in STORED_PARTS
            }
        )

    def cleaned(self):
        """The content as the glossary stores it: spaces and line ends as editors mean them,
        no empty or repeated list values."""
        return Content(
            term=text.clean_term(self.term),
            acronyms=tuple(text.split_values(text.join_values(self.acronyms))),
            variants=tuple(text.split_values(text.join_values(self.variants))),
            deprecated=tuple(text.split_values(text.join_values(self.deprecated))),
            definition=text.clean_definition(self.definition),
            note=text.clean_definition(self.note),
            source=text.clean_definition(self.source),
            unlinked=tuple(text.split_values(text.join_values(self.unlinked or ()))),
        )


EMPTY = Content(unlinked=())  # as stored: every part said, empty
NOT_GIVEN = Content(*(None for _part in STORED_PARTS))  # a file that says nothing of a language


@dataclass(frozen=True)
class ConceptRecord:
    """One concept: what is true of it in every language, and its content per language.

    `updated_at` is the concept's version: when it was last changed, as stored, or as
    the file it was read from says (an export's `updated_at` column: the version an
    editor's file was made from). `where` says where a record read from a file came from
    ("row 12"), for messages; `problems` holds what its reader could not understand, as
    (field, message). None of these is part of the concept: records compare by content.
    """

    slug: str
    status: str | None = Status.PUBLISHED
    contents: dict = field(default_factory=dict)  # {language: Content}
    see_also: tuple[str, ...] | None = ()
    domains: tuple[str, ...] | None = ()  # slugs of the domains it belongs to
    updated_at: datetime | None = field(default=None, compare=False)
    where: str = field(default="", compare=False)
    problems: tuple = field(default=(), compare=False)
    # Read from another tool's file: its slug is only a suggestion (the writer makes it
    # unique, or matches the concept by its terms), and it adds links, never removes one.
    foreign: bool = field(default=False, compare=False)
    # Links and domains it names are added to the concept's; none is removed (a TBX file
    # speaks only for links among its own entries, and a public export leaves drafts out).
    adds_links: bool = field(default=False, compare=False)

    def content(self, language):
        return self.contents.get(language, EMPTY)

    def over(self, current):
        """The complete record this one makes of `current` (None: a new concept)."""
        current = current or ConceptRecord(slug=self.slug)
        return replace(
            self,
            status=current.status if self.status is None else self.status,
            contents={
                language: self.contents.get(language, NOT_GIVEN).over(current.content(language))
                for language in content_languages()
            },
            see_also=(
                current.see_also
                if self.see_also is None
                else tuple({*current.see_also, *self.see_also})
                if self.adds_links
                else self.see_also
            ),
            domains=(
                current.domains
                if self.domains is None
                else tuple({*current.domains, *self.domains})
                if self.adds_links
                else self.domains
            ),
        )

    def cleaned(self):
        """The record as stored: every language present, texts cleaned, links without repeats."""
        return replace(
            self,
            slug=self.slug.strip(),
            contents={
                language: self.content(language).cleaned() for language in content_languages()
            },
            see_also=tuple(sorted({s.strip() for s in self.see_also if s.strip()})),
            domains=tuple(sorted({d.strip() for d in self.domains if d.strip()})),
        )

    @classmethod
    def from_fields(cls, values):
        """A complete record from {field: value} as `fields` gives them (a field left out is
        empty; the status, published)."""
        contents = {}
        for language in content_languages():
            parts = {}
            for part in PARTS:
                value = values.get(f"{part}_{language}") or ""
                parts[part] = tuple(text.split_values(value)) if part in LIST_PARTS else value
            contents[language] = Content(**parts)
        return cls(
            slug=values.get("slug", ""),
            status=values.get("status") or Status.PUBLISHED,
            contents=contents,
            see_also=tuple(text.split_values(values.get("see_also", ""))),
            domains=tuple(text.split_values(values.get("domains", ""))),
        )

    def names(self):
        """Every wording that names the concept, in every language."""
        return {name for content in self.contents.values() for name in content.names()}

    def linked_names(self):
        """Every wording definitions link to the concept by, in every language."""
        return {name for content in self.contents.values() for name in content.linked_names()}

    def shown(self, part, language):
        """(value, language) of `part` as a page in `language` shows it (the fallback rule)."""
        return first_present(lambda code: getattr(self.content(code), part), language)

    def label(self, language):
        """The term a page in `language` names the concept by, else its slug."""
        return self.shown("term", language)[0] or self.slug

    def fields(self):
        """{field: value} in the interchange order (`slug`, `status`, `term_fr`…,
        `see_also`), lists joined with ` | `: how changes are compared and shown."""
        values = {
            "slug": self.slug,
            "status": self.status or "",
            "domains": text.join_values(self.domains or ()),
        }
        for language in content_languages():
            content = self.content(language)
            for part in STORED_PARTS:
                value = getattr(content, part)
                if part in LIST_PARTS:
                    value = text.join_values(value or ())
                values[f"{part}_{language}"] = value or ""
        values["see_also"] = text.join_values(self.see_also or ())
        return values

    def given_fields(self):
        """The fields a partial record says something about."""
        given = ["slug"] if self.slug else []
        if self.status is not None:
            given.append("status")
        if self.domains is not None:
            given.append("domains")
        for language in content_languages():
            content = self.contents.get(language)
            if content is not None:
                given += [
                    f"{part}_{language}" for part in PARTS if getattr(content, part) is not None
                ]
        if self.see_also is not None:
            given.append("see_also")
        return given


@dataclass
class LeftOut:
    """Something a file held that the glossary does not keep, for the import's report: what
    it is, how many, and where the first ones were."""

    what: str
    count: int = 0
    examples: list = field(default_factory=list)

    EXAMPLES = 3

    def add(self, where):
        self.count += 1
        if len(self.examples) < self.EXAMPLES and where not in self.examples:
            self.examples.append(where)


class Reading(list):
    """The records a file holds, in file order, what its reader left out (`left_out`:
    [LeftOut]), and for a spreadsheet how its columns were read (`layout`)."""

    def __init__(self, records=(), left_out=(), layout=None):
        super().__init__(records)
        self.left_out = list(left_out)
        self.layout = layout


def text_values(content):
    """A content's STORED_PARTS values as the database stores them (lists for lists)."""
    return tuple(
        list(getattr(content, part) or ()) if part in LIST_PARTS else getattr(content, part)
        for part in STORED_PARTS
    )


def field_names():
    """Every field of a record, in the interchange order (the spreadsheets' columns)."""
    names = ["slug", "status", "domains"]
    for language in content_languages():
        names += [f"{part}_{language}" for part in PARTS]
    return [*names, "see_also"]


def load_records(concept_ids):
    """{concept id: its complete record}, read in four queries however many ids."""
    ids = list(concept_ids)
    if not ids:
        return {}
    rows = Concept.objects.filter(pk__in=ids).values_list("pk", "slug", "status", "updated_at")
    contents = {}
    for concept_id, language, *parts in ConceptText.objects.filter(concept_id__in=ids).values_list(
        "concept_id", "language", *STORED_PARTS
    ):
        contents.setdefault(concept_id, {})[language] = Content.from_row(parts)
    links = {}
    for source, target in Concept.see_also.through.objects.filter(
        from_concept_id__in=ids
    ).values_list("from_concept_id", "to_concept__slug"):
        links.setdefault(source, []).append(target)
    domains = {}
    for concept_id, domain in Concept.domains.through.objects.filter(
        concept_id__in=ids
    ).values_list("concept_id", "domain__slug"):
        domains.setdefault(concept_id, []).append(domain)
    return {
        concept_id: ConceptRecord(
            slug=slug,
            status=status,
            contents={
                language: contents.get(concept_id, {}).get(language, EMPTY)
                for language in content_languages()
            },
            see_also=tuple(sorted(links.get(concept_id, ()))),
            domains=tuple(sorted(domains.get(concept_id, ()))),
            updated_at=updated_at,
        )
        for concept_id, slug, status, updated_at in rows
    }
