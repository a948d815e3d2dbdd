"""The glossary's data: concepts, their content in each language, and derived index rows.

A concept holds what does not depend on language (slug, status, links); its
wording and definition live in one `ConceptText` per content language, so a
new language in `settings.LANGUAGES` needs no schema change. `IndexEntry`
rows are derived from the texts (one per term, acronym and variant, per page
language) and carry a stored sort key, so the database does the A–Z ordering
and the letter pages are a single indexed query.
"""

import time
from collections import namedtuple

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models.functions import Greatest
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from terms import text
from terms.bulk import insert_rows


def content_languages():
    """Codes of the content languages, default language first."""
    return [code for code, _name in settings.LANGUAGES]


def default_language():
    return content_languages()[0]


def validate_language(code):
    if code not in content_languages():
        raise ValidationError(
            _("Unknown language %(code)s: expected one of %(languages)s."),
            params={"code": code, "languages": ", ".join(content_languages())},
        )


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class ConceptQuerySet(models.QuerySet):
    def published(self):
        """What readers may see: every public page and the API start here."""
        return self.filter(status=Status.PUBLISHED)

    def with_texts(self):
        return self.prefetch_related("texts")

    def missing_translation(self, language):
        """Concepts without a term in `language` (empty text or no text at all)."""
        return self._missing(language, "term")

    def missing_definition(self, language):
        """Concepts without a definition in `language`."""
        return self._missing(language, "definition")

    def _missing(self, language, part):
        present = ConceptText.objects.filter(
            concept=models.OuterRef("pk"), language=language
        ).exclude(**{part: ""})
        return self.filter(~models.Exists(present))


class Concept(models.Model):
    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("The concept's address in URLs and spreadsheets. Change it with care."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    see_also = models.ManyToManyField(
        "self",
        verbose_name=_("see also"),
        symmetrical=False,
        related_name="see_also_of",
        blank=True,
    )
    # Derived from the definitions by `refresh_mentions`; never typed in.
    mentions = models.ManyToManyField(
        "self",
        verbose_name=_("mentions"),
        symmetrical=False,
        related_name="mentioned_in",
        blank=True,
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ConceptQuerySet.as_manager()
    # Every save (form, import, restore) and every deletion, with who, when and why;
    # see-also links are part of each snapshot.
    history = HistoricalRecords(m2m_fields=[see_also], excluded_fields=["mentions"])

    class Meta:
        verbose_name = _("concept")
        verbose_name_plural = _("concepts")
        ordering = ["slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=Status.values), name="concept_status_valid"
            ),
        ]

    def __str__(self):
        # An import names its rows by their term without one query per row.
        label = getattr(self, "display_label", None)
        return label or self.display_term(default_language()) or self.slug

    def get_absolute_url(self):
        return reverse("terms:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def texts_by_language(self):
        """`{language: ConceptText}`; queries once unless `texts` was prefetched."""
        return {t.language: t for t in self.texts.all()}

    def shown_text(self, language):
        """The text whose definition a page in `language` shows: its own, else the first
        language that has a definition, else None. Needs `texts` prefetched."""
        by_language = self.texts_by_language()
        for code in [language, *content_languages()]:
            content = by_language.get(code)
            if content and content.definition:
                return content
        return None

    def shown_acronyms(self, language):
        """The acronyms in `language`, else those of every language (readers hear `CSM`
        whichever language they read). Needs `texts` prefetched."""
        by_language = self.texts_by_language()
        own = by_language.get(language)
        if own and own.acronyms:
            return list(own.acronyms)
        return [
            a
            for code in content_languages()
            if code in by_language
            for a in by_language[code].acronyms
        ]

    def other_texts(self, language):
        """The texts with a term in the other languages, in settings order."""
        by_language = self.texts_by_language()
        return [
            by_language[code]
            for code in content_languages()
            if code != language and code in by_language and by_language[code].term
        ]

    def display_term(self, language):
        """The term to show on a page in `language`, with the fallback order of the index.

        Returns the term in `language`, else the first other language that has
        one. Triggers a query unless `texts` was prefetched.
        """
        by_language = self.texts_by_language()
        for code in [language, *content_languages()]:
            content = by_language.get(code)
            if content and content.term:
                return content.term
        return ""

    def refresh_derived(self):
        """Rebuild this concept's index rows and search document from its texts and status.

        Called explicitly wherever texts or status change (admin save, import),
        not from signals, so the write path stays visible.
        """
        refresh_derived_for([self.pk])


# What the derived rows are built from: a text's values, without model instances,
# which would cost more than the building itself on a large import.
TextValues = namedtuple("TextValues", "language term acronyms variants definition")
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
NAMES_POSITION = SEARCH_DOCUMENT_FIELDS.index("names")


def refresh_derived_for(concept_ids):
    """Rebuild the index rows and search documents of many concepts in a few queries.

    Texts are read afresh (a prefetched `texts` may predate the change being
    saved). Everything happens in one transaction, so readers never see a
    concept half-indexed; on SQLite the FTS5 triggers follow the documents.
    """
    concept_ids = list(concept_ids)
    with transaction.atomic():
        for start in range(0, len(concept_ids), 500):
            chunk = concept_ids[start : start + 500]
            statuses = dict(Concept.objects.filter(pk__in=chunk).values_list("pk", "status"))
            texts_of = {}
            for concept_id, *values in (
                ConceptText.objects.filter(concept_id__in=chunk)
                .order_by("concept_id", "language")
                .values_list("concept_id", *TextValues._fields)
            ):
                texts_of.setdefault(concept_id, []).append(TextValues(*values))
            entries, documents, words = [], [], set()
            for concept_id in chunk:
                if concept_id not in statuses:
                    continue  # deleted meanwhile: its rows went with it
                published = statuses[concept_id] == Status.PUBLISHED
                texts = texts_of.get(concept_id, [])
                entries += build_index_entries(concept_id, published, texts)
                document = build_search_document(concept_id, published, texts)
                documents.append(document)
                words |= vocabulary_of(document[NAMES_POSITION])
            IndexEntry.objects.filter(concept_id__in=chunk).delete()
            SearchDocument.objects.filter(concept_id__in=chunk).delete()
            insert_rows(IndexEntry, INDEX_ENTRY_FIELDS, entries)
            insert_rows(SearchDocument, SEARCH_DOCUMENT_FIELDS, documents)
            insert_rows(
                SearchWord,
                ["word", "length"],
                [(word, len(word)) for word in sorted(words)],
                ignore_conflicts=True,
            )
        GlossaryState.bump()


def build_index_entries(concept_id, published, texts):
    """The index rows of one concept, for every page language, in `INDEX_ENTRY_FIELDS` order.

    On a page in language L: L's term, acronyms and variants; acronyms of the
    other languages too (readers hear `CSM` whatever language they read); and,
    when the concept has no term in L, its term in the first language that has
    one, marked untranslated.
    """
    by_language = {t.language: t for t in texts}
    entries = []
    for language in content_languages():
        own = by_language.get(language)
        label = own.term if own and own.term else ""
        untranslated = not label
        if untranslated:
            for code in content_languages():
                other = by_language.get(code)
                if other and other.term:
                    label = other.term
                    break
        if not label:
            continue
        wordings = [(IndexEntry.Kind.TERM, label)]
        if own:
            wordings += [(IndexEntry.Kind.ACRONYM, acronym) for acronym in own.acronyms]
            wordings += [(IndexEntry.Kind.VARIANT, variant) for variant in own.variants]
        for code in content_languages():
            other = by_language.get(code)
            if code != language and other:
                wordings += [(IndexEntry.Kind.ACRONYM, acronym) for acronym in other.acronyms]
        first_kind = {}
        for kind, wording in wordings:
            first_kind.setdefault(wording, kind)  # a wording is listed once per page
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


def build_search_document(concept_id, published, texts):
    """One concept's search row, in `SEARCH_DOCUMENT_FIELDS` order."""
    labels = []
    definitions = []
    for content in texts:
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


class ConceptText(models.Model):
    """A concept's wording and definition in one content language."""

    concept = models.ForeignKey(
        Concept, verbose_name=_("concept"), on_delete=models.CASCADE, related_name="texts"
    )
    language = models.CharField(_("language"), max_length=10, validators=[validate_language])
    term = models.CharField(
        _("term"),
        max_length=255,
        blank=True,
        help_text=_("The preferred wording, as it should be shown."),
    )
    acronyms = models.JSONField(_("acronyms"), default=list, blank=True)
    variants = models.JSONField(
        _("variants"),
        default=list,
        blank=True,
        help_text=_("Other wordings that must lead to this concept."),
    )
    definition = models.TextField(
        _("definition"),
        blank=True,
        help_text=_("Plain text. Separate paragraphs with a blank line."),
    )
    # Derived by `refresh_mentions`: the definition cut into [text, slug-or-null]
    # pieces, where a slug marks a word that names another concept.
    definition_links = models.JSONField(default=list, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["definition_links"])

    class Meta:
        verbose_name = _("language content")
        verbose_name_plural = _("language contents")
        ordering = ["concept", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["concept", "language"], name="concept_text_one_per_language"
            ),
        ]

    def __str__(self):
        return f"{self.term or self.concept.slug} ({self.language})"


class IndexEntry(models.Model):
    """A derived A–Z index row: a wording that leads to a concept on one page language."""

    class Kind(models.TextChoices):
        TERM = "term", _("term")
        ACRONYM = "acronym", _("acronym")
        VARIANT = "variant", _("variant")

    concept = models.ForeignKey(Concept, on_delete=models.CASCADE, related_name="index_entries")
    language = models.CharField(max_length=10)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=255)
    # The concept's term on this page language (or its fallback), shown after the arrow.
    label = models.CharField(max_length=255)
    untranslated = models.BooleanField(default=False)
    is_published = models.BooleanField(default=False)
    sort_key = models.CharField(max_length=200)
    letter = models.CharField(max_length=1)
    folded = models.CharField(max_length=255)

    class Meta:
        verbose_name = _("index entry")
        verbose_name_plural = _("index entries")
        indexes = [
            # The letter page: one language, one letter, in order.
            models.Index(
                fields=["language", "is_published", "letter", "sort_key"],
                name="index_letter_page",
            ),
            # The home page (first entries A–Z) and the letter bar's counts.
            models.Index(fields=["language", "is_published", "sort_key"], name="index_home_page"),
            # The first search: prefix and substring matches on folded wordings.
            models.Index(fields=["folded"], name="index_search_folded"),
            # The term page: labels of the concepts in see-also and mentioned-in.
            models.Index(fields=["concept", "language", "kind"], name="index_concept_labels"),
        ]

    def __str__(self):
        return f"{self.text} → {self.label}"


class SearchDocument(models.Model):
    """A concept as the search engines see it: folded names and definitions, and stems.

    Derived in `refresh_derived`. On SQLite an FTS5 table mirrors it through
    triggers (same transaction); on PostgreSQL GIN indexes cover it. Both
    are created by migration 0003.
    """

    concept = models.OneToOneField(
        Concept, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    is_published = models.BooleanField(default=False)
    names = models.TextField(blank=True)
    name_stems = models.TextField(blank=True)
    body = models.TextField(blank=True)
    body_stems = models.TextField(blank=True)
    # [[wording, kind], …] of every language: ranks exact and prefix matches.
    labels = models.JSONField(default=list)

    def __str__(self):
        return self.names[:80]


class SearchWord(models.Model):
    """The vocabulary of names, for typo tolerance ("onbording" → "onboarding").

    Only grows: a word whose concept is gone just corrects to nothing.
    """

    word = models.CharField(max_length=64, unique=True)
    length = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [models.Index(fields=["length", "word"], name="search_word_length")]

    def __str__(self):
        return self.word


class GlossaryState(models.Model):
    """One row whose generation grows with every change to the glossary.

    Reader pages are cached per generation (terms/caching.py): reading it is
    one indexed query, and bumping it in the writing transaction makes every
    worker's cached pages stale at once, whatever cache each process has.
    A bump moves the generation to at least the current time in microseconds:
    after a database is restored from a backup (an older generation), the next
    change still lands above every generation cached since, so the shared cache
    can never serve a page of the abandoned timeline.
    """

    generation = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"generation {self.generation}"

    @classmethod
    def current(cls):
        # Asked on every reader request, cached page or not: plain SQL skips building
        # the ORM query, a fifth of what serving a cached page costs.
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT generation FROM {cls._meta.db_table} WHERE id = 1")
            row = cursor.fetchone()
        return row[0] if row else 0

    @classmethod
    def bump(cls):
        now = time.time_ns() // 1000
        if not cls.objects.filter(pk=1).update(
            generation=Greatest(models.F("generation") + 1, models.Value(now))
        ):
            cls.objects.get_or_create(pk=1, defaults={"generation": now})


@receiver(post_delete, sender=Concept)
def make_cached_pages_stale(sender, instance, **kwargs):
    # However a concept goes (the admin, a shell, a script), no cached page may show it
    # afterwards. Its index rows and search document go with it (CASCADE).
    GlossaryState.bump()


class SignInAttempt(models.Model):
    """A password check, for the sign-in throttle (terms/throttle.py).

    A row is written before the password is checked and deleted if it turns out not to
    be a failure (a success, a refused attempt), so the rows of a key within the window
    are its failures plus the attempts in flight. Rows older than the window are deleted
    as new attempts come.
    """

    address = models.CharField(max_length=64)  # an IPv4 address or an IPv6 /64 network
    username = models.CharField(max_length=150, blank=True)  # as typed, case folded
    at = models.DateTimeField()

    class Meta:
        indexes = [
            # Each attempt counts the recent rows of its address and of its user name.
            models.Index(fields=["address", "at"], name="sign_in_attempt_address"),
            models.Index(fields=["username", "at"], name="sign_in_attempt_username"),
        ]

    def __str__(self):
        return f"{self.username} from {self.address} at {self.at:%Y-%m-%d %H:%M:%S}"
