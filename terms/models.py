"""The glossary's data: concepts, their content in each language, and derived index rows.

A concept holds what does not depend on language (slug, status, links); its
wording and definition live in one `ConceptText` per content language, so a
new language in `settings.LANGUAGES` needs no schema change. `IndexEntry`
rows are derived from the texts (one per term, acronym and variant, per page
language) and carry a stored sort key, so the database does the A–Z ordering
and the letter pages are a single indexed query.
"""

import time

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models.functions import Greatest, Length
from django.db.models.lookups import LessThanOrEqual
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from terms import generation_mirror
from terms.languages import content_languages, default_language, first_present, validate_language


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


class Domain(models.Model):
    """A field the glossary's concepts are grouped by (roles, metrics, ways of selling…),
    with a name per content language; readers browse the concepts of one."""

    slug = models.SlugField(
        _("slug"),
        max_length=100,
        unique=True,
        help_text=_("The domain's address in URLs and spreadsheets (column domains)."),
    )
    names = models.JSONField(_("names"), default=dict, blank=True)  # {language: name}

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")
        ordering = ["slug"]

    def __str__(self):
        return self.name(default_language())

    def get_absolute_url(self):
        return reverse("terms:domain", kwargs={"slug": self.slug})

    def name(self, language):
        """The domain's name on a page in `language` (the fallback rule), else its slug."""
        value, _code = first_present(lambda code: self.names.get(code, ""), language)
        return value or self.slug


class ShownTexts:
    """What a page in a language shows of a concept's texts, by the fallback rule: for
    anything whose `texts_by_language()` gives {language: text}, each text having a term,
    acronyms, variants and a definition (a Concept with `texts` prefetched, or a search
    result read without model instances)."""

    def shown_text(self, language):
        """The text whose definition a page in `language` shows (the fallback rule), or
        None when no language has a definition."""
        by_language = self.texts_by_language()
        _definition, code = first_present(
            lambda code: by_language[code].definition if code in by_language else "", language
        )
        content = by_language.get(code)
        return content if content and content.definition else None

    def shown(self, part, language):
        """`part` (term, acronyms, variants) as a page in `language` shows it: its own, else
        the first language that has it (the fallback rule)."""
        by_language = self.texts_by_language()
        value, _code = first_present(
            lambda code: getattr(by_language[code], part) if code in by_language else "",
            language,
        )
        return value if part == "term" else list(value)

    def other_texts(self, language):
        """The texts with a term in the other languages, in settings order."""
        by_language = self.texts_by_language()
        return [
            by_language[code]
            for code in content_languages()
            if code != language and code in by_language and by_language[code].term
        ]

    def display_term(self, language):
        """The term to show on a page in `language`, with the fallback rule."""
        return self.shown("term", language)


class Concept(ShownTexts, models.Model):
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
    domains = models.ManyToManyField(
        Domain, verbose_name=_("domains"), related_name="concepts", blank=True
    )
    # Derived from the definitions (terms/derived.py); never typed in.
    mentions = models.ManyToManyField(
        "self",
        verbose_name=_("mentions"),
        symmetrical=False,
        related_name="mentioned_in",
        blank=True,
        editable=False,
        # No foreign keys in the database: the writer rebuilds these rows from the
        # definitions and deletes them with their concepts (writer._delete_concepts).
        # Checking each of the ~40 per concept of long definitions cost PostgreSQL 2.9 s
        # at the commit of a 10,000-concept import (21.7 s against 18.7 s).
        db_constraint=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    objects = ConceptQuerySet.as_manager()
    # Every save (form, import, restore) and every deletion, with who, when and why;
    # see-also links and domains are part of each snapshot.
    history = HistoricalRecords(m2m_fields=[see_also, domains], excluded_fields=["mentions"])

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
        return self.display_term(default_language()) or self.slug

    def get_absolute_url(self):
        return reverse("terms:detail", kwargs={"slug": self.slug})

    @property
    def is_published(self):
        return self.status == Status.PUBLISHED

    def texts_by_language(self):
        """`{language: ConceptText}`; queries once unless `texts` was prefetched."""
        return {t.language: t for t in self.texts.all()}


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
    deprecated = models.JSONField(
        _("wordings to avoid"),
        default=list,
        blank=True,
        help_text=_("Wordings that lead to this concept but must not be used."),
    )
    definition = models.TextField(
        _("definition"),
        blank=True,
        help_text=_("Plain text. Separate paragraphs with a blank line."),
    )
    note = models.TextField(
        _("note"), blank=True, help_text=_("How to use the term, or an example. Plain text.")
    )
    source = models.TextField(
        _("source"),
        blank=True,
        help_text=_("Where the definition comes from: a text, or an address (https://…)."),
    )
    unlinked = models.JSONField(
        _("not linked automatically"),
        default=list,
        blank=True,
        help_text=_("Wordings that definitions do not link to this concept by themselves."),
    )
    # Derived (terms/derived.py): [[start, end, concept id], …], where the definition
    # names another concept, as character offsets (text.segments_of cuts it there).
    definition_links = models.JSONField(default=list, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["definition_links"])

    class Meta:
        verbose_name = _("language content")
        verbose_name_plural = _("language contents")
        # By the concept's id, not the concept: ordering by a foreign key orders by the
        # concept's own ordering (its slug), a join with every concept for each prefetch.
        ordering = ["concept_id", "language"]
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
        DEPRECATED = "deprecated", _("to avoid")

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

    Derived by terms/derived.py. On SQLite an FTS5 table mirrors it through
    triggers in the same transaction (migration 0004); on PostgreSQL a stored,
    weighted `search_vector` column with a GIN index covers it (migration 0008).
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
    def for_readers(cls):
        """The generation reader pages are cached under: from the Redis mirror when there
        is one (terms/generation_mirror.py), which only ever lags the database's."""
        return generation_mirror.read(cls.current)

    @classmethod
    def bump(cls):
        now = time.time_ns() // 1000
        if not cls.objects.filter(pk=1).update(
            generation=Greatest(models.F("generation") + 1, models.Value(now))
        ):
            cls.objects.get_or_create(pk=1, defaults={"generation": now})
        # Read again once committed: what was committed, whatever bumps came between.
        # Robust: the change is committed whatever happens to its announcement.
        transaction.on_commit(lambda: generation_mirror.write(cls.current()), robust=True)


class ImportLock(models.Model):
    """The one row an import holds while it runs: a second import meanwhile is refused
    with a sentence rather than compared with a glossary the first one is changing
    (terms/writer.py). A row left by a killed import expires."""

    holder = models.CharField(max_length=150)
    started_at = models.DateTimeField()

    def __str__(self):
        return f"import by {self.holder} since {self.started_at:%H:%M}"


class ColumnMapping(models.Model):
    """Where an editor last said another tool's spreadsheet columns go, offered again when a
    file with the same columns comes back (terms/admin_files.py)."""

    columns = models.CharField(max_length=64, unique=True)  # layouts.Layout.key
    mapping = models.JSONField()  # {file column: field, or "" for a column left out}
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return ", ".join(f"{column} → {target or '-'}" for column, target in self.mapping.items())


class ImportJobQuerySet(models.QuerySet):
    def of(self, user):
        """The imports an editor started, newest first: the ones their pages may show."""
        return self.filter(user=user).order_by("-created_at")


class ImportJob(models.Model):
    """An admin import too large for a request, run by a task worker (terms/background.py):
    its file (kept here, so a worker on another server reads it too), how far it got, and
    its preview and report, to show the editor whenever they come back.

    Progress is written in autocommit, outside the import's one transaction, so the
    progress page sees it move while the import runs; the glossary itself changes only
    when that transaction commits."""

    class Step(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        IMPORT = "import", _("Import")

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Finished")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    language = models.CharField(max_length=10)  # the editor's: the report speaks it
    file_name = models.CharField(max_length=255, blank=True)
    file_format = models.CharField(max_length=10, blank=True)  # chosen by the editor, or ""
    data = models.BinaryField(blank=True)  # emptied once imported, or after a day
    mapping = models.JSONField(null=True, blank=True)  # another tool's columns
    overwrite_newer = models.BooleanField(default=False)
    merge = models.JSONField(default=list, blank=True)
    step = models.CharField(max_length=10, choices=Step.choices, default=Step.PREVIEW)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    stage = models.CharField(max_length=20, blank=True)  # reading, validating, writing
    rows = models.PositiveIntegerField(default=0)
    rows_read = models.PositiveIntegerField(default=0)
    rows_validated = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    to_write = models.PositiveIntegerField(default=0)  # new and changed concepts
    preview = models.JSONField(null=True, blank=True)  # the dry run's report
    report = models.JSONField(null=True, blank=True)  # the import's report
    error = models.TextField(blank=True)  # why it failed, in the editor's language
    worker = models.CharField(max_length=200, blank=True)  # host:pid of the worker running it
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)  # its last sign of life

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state__in=["queued", "running", "done", "failed"]),
                name="import_job_state_valid",
            ),
        ]

    def __str__(self):
        return f"{self.step} of {self.file_name} ({self.state})"

    @property
    def finished(self):
        return self.state in (self.State.DONE, self.State.FAILED)


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


# What a reader may write in a suggestion, at most (characters).
SUGGESTION_TERM_LENGTH = 255
SUGGESTION_MESSAGE_LENGTH = 2000
SUGGESTION_NAME_LENGTH = 100
SUGGESTION_REASON_LENGTH = 500


class Suggestion(models.Model):
    """What a reader sends from `/<lang>/suggest/`: a term the glossary lacks, or a mistake
    on a concept's page. Editors triage them in the admin (terms/admin_suggestions.py):
    accepting one makes a draft concept through the writer, dismissing one keeps why.

    Everything a visitor typed is plain text, capped here as in the form, and is only ever
    shown escaped. `sender` is what the rate limit counts (terms/suggestions.py): a keyed
    hash of the address (or of the signed-in account), never the address itself.
    """

    class Kind(models.TextChoices):
        NEW_TERM = "new", _("new term")
        MISTAKE = "mistake", _("mistake")

    class Decision(models.TextChoices):
        NEW = "new", _("to triage")
        ACCEPTED = "accepted", _("accepted")
        DISMISSED = "dismissed", _("dismissed")

    TERM_LENGTH = SUGGESTION_TERM_LENGTH
    MESSAGE_LENGTH = SUGGESTION_MESSAGE_LENGTH
    NAME_LENGTH = SUGGESTION_NAME_LENGTH
    REASON_LENGTH = SUGGESTION_REASON_LENGTH

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    term = models.CharField(_("term"), max_length=TERM_LENGTH)
    language = models.CharField(_("language"), max_length=10, validators=[validate_language])
    message = models.TextField(_("message"), max_length=MESSAGE_LENGTH)
    name = models.CharField(_("name"), max_length=NAME_LENGTH, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)  # 254 characters at most
    # The writer deletes concepts with plain SQL (no ORM cascade), so these two point to
    # concepts without a database constraint: a deleted concept leaves its id here, read
    # as None through select_related (the admin always joins them), and a concept restored
    # from its history comes back with that id, and with its suggestions.
    concept = models.ForeignKey(
        Concept,
        verbose_name=_("concept"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
        db_constraint=False,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed-in reader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    sender = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Decision.choices, default=Decision.NEW
    )
    dismissal_reason = models.CharField(
        _("reason for dismissing"), max_length=REASON_LENGTH, blank=True
    )
    draft = models.ForeignKey(
        Concept,
        verbose_name=_("draft made from it"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        ordering = ["-created_at"]
        indexes = [
            # The rate limit counts one sender's recent suggestions.
            models.Index(fields=["sender", "created_at"], name="suggestion_sender_recent"),
            # The editors' list: new ones first, newest first.
            models.Index(fields=["status", "created_at"], name="suggestion_triage"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["new", "mistake"]), name="suggestion_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["new", "accepted", "dismissed"]),
                name="suggestion_status_valid",
            ),
            # max_length binds forms (and PostgreSQL's varchar); SQLite and a TextField
            # need the caps said again.
            models.CheckConstraint(
                condition=models.Q(
                    LessThanOrEqual(Length("term"), SUGGESTION_TERM_LENGTH),
                    LessThanOrEqual(Length("message"), SUGGESTION_MESSAGE_LENGTH),
                    LessThanOrEqual(Length("name"), SUGGESTION_NAME_LENGTH),
                    LessThanOrEqual(Length("email"), 254),
                    LessThanOrEqual(Length("dismissal_reason"), SUGGESTION_REASON_LENGTH),
                ),
                name="suggestion_text_capped",
            ),
        ]

    def __str__(self):
        return self.term
