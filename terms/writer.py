"""The one way to change the glossary.

Every door — the admin's form and actions, delete, restore, the import in the
admin and on the command line — calls a function of this module, and only this
module creates, changes, publishes, unpublishes, deletes or restores concepts.
Each call comes down to a list of `Change`s (a concept's record before and
after) handed to `commit`, which writes them in one transaction: the concepts,
their texts and links, one history version each, then one refresh of everything
derived and one bump of the cache generation, whatever the number of concepts.

An import reads, validates and compares outside that transaction, so other
writers wait only for the writes themselves; a second import at the same time is
refused with a sentence, and a writer that meets a busy database gets one too.
"""

import re
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import timedelta

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from terms import collector, derived, history, text
from terms.bulk import delete_rows, insert_rows, update_rows
from terms.interchange.errors import UnreadableFile
from terms.interchange.service import read_records
from terms.languages import content_languages, default_language
from terms.models import (
    Concept,
    ConceptText,
    Domain,
    GlossaryState,
    ImportLock,
    IndexEntry,
    SearchDocument,
    Status,
)
from terms.records import STORED_PARTS, ConceptRecord, load_records, text_values

SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]+")
SLUG_LENGTH = 100
TERM_LENGTH = 255
# An import killed by the system (kill -9, a restarted server) never releases its lock;
# past this, the next import takes it over.
IMPORT_LOCK_LIFETIME = timedelta(minutes=15)
# How often (in rows) an import tells its `progress` how far it got comparing.
PROGRESS_EVERY = 100
# On PostgreSQL a writer waits this long for rows another transaction holds, then says
# so, well before gunicorn's 60 s timeout.
LOCK_TIMEOUT = "15s"


class WriteRefused(Exception):
    """The change cannot be made as asked; `problems` are the sentences that say why."""

    def __init__(self, problems):
        super().__init__(" ".join(problems))
        self.problems = list(problems)


class Busy(WriteRefused):
    """Another writer holds the glossary (an import being written); try again soon."""


class ChangedMeanwhile(WriteRefused):
    """Someone changed the concept after the editor opened it; nothing was written."""


def changed_meanwhile_message():
    return _(
        "Someone changed this concept while you were editing it. Nothing was saved: open it "
        "again to see their change, then make yours."
    )


def busy_message():
    return _(
        "The glossary is busy: an import is being written. Nothing was changed; "
        "try again in a moment."
    )


@dataclass(frozen=True)
class Change:
    """A concept before and after: `before` None for a new concept, `after` None for a
    deletion. `concept_id` is None for a new concept, unless it comes back with its old id
    (a restored deletion)."""

    concept_id: int | None
    before: ConceptRecord | None
    after: ConceptRecord | None


@dataclass
class RowPreview:
    """A new or changed concept of an import, as its preview lists it."""

    kind: str  # "new" or "update"
    slug: str
    where: str
    changes: list  # [(field, old, new)] of the fields the file gives


@dataclass
class StaleRow:
    """A row made from an older version of its concept than the one stored: importing it
    would undo what someone changed since."""

    where: str
    slug: str
    who: str
    when: object  # the concept's last change

    def sentence(self):
        return capfirst(
            _(
                "{where} ({slug}) was changed since this file was exported, by {who} on {when}."
            ).format(
                where=self.where,
                slug=self.slug,
                who=self.who or _("an import or a script"),
                when=date_format(timezone.localtime(self.when), "DATETIME_FORMAT"),
            )
        )


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do)."""

    dry_run: bool
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    problems: list = field(default_factory=list)
    rows: list = field(default_factory=list)  # [RowPreview] of new and changed concepts
    stale: list = field(default_factory=list)  # [StaleRow]: changed since the file's export
    matches: list = field(default_factory=list)  # [Match]: foreign entries naming a concept
    left_out: list = field(default_factory=list)  # [LeftOut]: what the file held, not kept
    new_domains: list = field(default_factory=list)  # slugs of the domains it creates
    # How a spreadsheet's columns were read (layouts.Layout), or, when the import stopped
    # for want of a mapping, its columns and a suggestion.
    layout: object = None

    @property
    def ok(self):
        return not self.problems

    @property
    def changes(self):
        """{slug: [(field, old, new)]} of each changed concept."""
        return {row.slug: row.changes for row in self.rows if row.kind == "update"}

    def summary(self):
        verb = "would be" if self.dry_run else "were"
        if not self.ok:
            return f"Nothing was imported: {len(self.problems)} problem(s) found."
        return (
            f"{self.new} new, {self.updated} changed, {self.unchanged} unchanged "
            f"concept(s) {verb} imported."
        )


# -- the doors ---------------------------------------------------------------------


@collector.while_paused
def import_file(
    data,
    *,
    file_name="",
    file_format=None,
    dry_run=False,
    user=None,
    overwrite_newer=False,
    merge=(),
    mapping=None,
    progress=None,
):
    """Import the bytes of a CSV, XLSX, JSON or TBX file, all or nothing. `mapping` says
    where another tool's spreadsheet columns go ({file column: field}). `progress`, if
    given, is called as progress(stage, done, total) as the import reads ("read"),
    compares ("validated") and writes ("writing", then "written" once committed)."""
    try:
        records = read_records(data, file_name=file_name, file_format=file_format, mapping=mapping)
    except UnreadableFile as error:
        return ImportReport(
            dry_run=dry_run, problems=[str(error)], layout=getattr(error, "layout", None)
        )
    if progress:
        progress("read", len(records), len(records))
    reason = f"import of {file_name or 'a file'}"
    return import_records(
        records,
        dry_run=dry_run,
        user=user,
        reason=reason,
        overwrite_newer=overwrite_newer,
        merge=merge,
        progress=progress,
    )


def import_records(
    records,
    *,
    dry_run=False,
    user=None,
    reason="import",
    overwrite_newer=False,
    merge=(),
    progress=None,
):
    """Apply records read from a file: new slugs create concepts, known ones are updated
    with what the records say. Nothing is written unless every record is valid; a dry run
    writes nothing at all. Rows made from an older version of their concept than the one
    stored (`ImportReport.stale`) are written only with `overwrite_newer`; entries of
    another tool's file that match a concept, only where `merge` says (see plan_import)."""
    if dry_run:
        return plan_import(records, merge=merge, progress=progress).report
    try:
        with import_lock(user):
            plan = plan_import(records, merge=merge, progress=progress)
            if plan.report.stale and not overwrite_newer:
                problems = [row.sentence() for row in plan.report.stale]
                problems.append(
                    _("Nothing was imported: confirm that these rows replace those changes.")
                )
                return ImportReport(dry_run=False, problems=problems, stale=plan.report.stale)
            if plan.report.ok and plan.changes:
                # What the import derives is computed before it takes the database: other
                # writers wait only for the writes.
                prepared = _prepare(plan.changes)
                if progress:
                    progress("writing", 0, len(plan.changes))
                with write_transaction():
                    if GlossaryState.current() != plan.generation:
                        # Someone changed the glossary while the file was compared with it:
                        # compare again, now that no one else can.
                        plan = plan_import(records, merge=merge)
                        if not plan.report.ok:
                            raise WriteRefused(plan.report.problems)
                        if plan.report.stale and not overwrite_newer:
                            raise WriteRefused([row.sentence() for row in plan.report.stale])
                        prepared = _prepare(plan.changes)
                    _write(
                        plan.changes,
                        user=user,
                        reason=reason,
                        when=timezone.now(),
                        prepared=prepared,
                    )
                if progress:
                    progress("written", len(plan.changes), len(plan.changes))
    except WriteRefused as refusal:
        return ImportReport(dry_run=False, problems=refusal.problems)
    plan.report.dry_run = False
    return plan.report


def save_concept(record, *, concept_id=None, user=None, reason="", seen_version=None):
    """Create (`concept_id` None) or change one concept from a complete record, as the
    admin's form gives it. Returns the concept's id.

    `seen_version` is the concept's "last updated" moment the editor started from: if the
    concept changed since, nothing is written (`ChangedMeanwhile`).
    """
    before = load_records([concept_id]).get(concept_id) if concept_id else None
    after = record.cleaned()
    linkable = set(Concept.objects.filter(slug__in=after.see_also).values_list("slug", flat=True))
    problems = [message for _field, message in _problems_of(after, linkable)]
    if problems:
        raise WriteRefused(problems)
    with write_transaction():
        if seen_version is not None:
            current = Concept.objects.filter(pk=concept_id).values_list("updated_at", flat=True)
            if not current or current[0].isoformat() != seen_version:
                raise ChangedMeanwhile([changed_meanwhile_message()])
        ids = _write(
            [Change(concept_id, before, after)], user=user, reason=reason, when=timezone.now()
        )
    return ids[after.slug]


def set_status(concept_ids, status, *, user=None, reason=""):
    """Publish or unpublish many concepts at once. Returns how many changed."""
    records = load_records(concept_ids)
    changes = [
        Change(concept_id, record, replace(record, status=status))
        for concept_id, record in records.items()
        if record.status != status
    ]
    commit(changes, user=user, reason=reason)
    return len(changes)


def set_domains(concept_ids, *, add=(), remove=(), user=None, reason=""):
    """Add concepts to domains (slugs; a domain no one made yet is created) and take them
    out of others. Returns how many changed."""
    add, remove = set(add), set(remove)
    changes = []
    for concept_id, record in load_records(concept_ids).items():
        domains = tuple(sorted((set(record.domains) | add) - remove))
        if domains != record.domains:
            changes.append(Change(concept_id, record, replace(record, domains=domains)))
    commit(changes, user=user, reason=reason)
    return len(changes)


def delete_concepts(concept_ids, *, user=None, reason=""):
    """Delete concepts, their texts and links. Returns how many went."""
    records = load_records(concept_ids)
    commit(
        [Change(concept_id, record, None) for concept_id, record in records.items()],
        user=user,
        reason=reason,
    )
    return len(records)


def restore(version_row, *, user=None):
    """Make a concept what it was at one of its history rows (recreating it if it was
    deleted, with its old id). Returns the concept's id."""
    version = history.version_of(version_row)
    concept = version.concept
    if not concept.content(default_language()).term:
        raise WriteRefused([_("This version has no term in the default language.")])
    if Concept.objects.filter(slug=concept.slug).exclude(pk=version_row.id).exists():
        raise WriteRefused(
            [_("Another concept now uses the slug {slug}.").format(slug=repr(concept.slug))]
        )
    current = load_records([version_row.id]).get(version_row.id)
    when = timezone.localtime(version_row.history_date)
    commit(
        [Change(version_row.id, current, concept)],
        user=user,
        reason=f"restored the version of {when:%Y-%m-%d %H:%M:%S}",
    )
    return version_row.id


# -- importing: plan, then commit ------------------------------------------------------


@dataclass
class ImportPlan:
    report: ImportReport
    changes: list
    generation: int


def plan_import(records, *, merge=(), progress=None):
    """Read the glossary once, and tell what `records` would change and what is wrong with
    them: slugs derived, duplicates found, records completed and checked, compared.

    A record from another tool's file that names an existing concept by one of its terms
    is a possible match (`ImportReport.matches`): merged into that concept only if its
    `where` is in `merge` (or `merge` is True), otherwise left alone.
    """
    report = ImportReport(
        dry_run=True,
        left_out=list(getattr(records, "left_out", ())),
        layout=getattr(records, "layout", None),
    )
    generation = GlossaryState.current()
    known = dict(Concept.objects.values_list("slug", "pk"))
    records = [_with_slug(record) for record in records]
    if any(record.foreign for record in records):
        records = _place_foreign(records, known, report, merge)
    duplicates = _duplicates(records)
    if duplicates:
        report.problems.append(_("Duplicate slugs: {duplicates}.").format(duplicates=duplicates))
        report.matches = []
        return ImportPlan(report, [], generation)
    slugs = set(known) | {record.slug for record in records if record.slug}
    current = load_records([known[r.slug] for r in records if r.slug in known])
    changes, stale = [], []
    for position, record in enumerate(records):
        if progress and position % PROGRESS_EVERY == 0:
            progress("validated", position, len(records))
        concept_id = known.get(record.slug)
        before = current.get(concept_id)
        after = record.over(before).cleaned()
        problems = sorted([*record.problems, *_problems_of(after, slugs)], key=_by_field)
        if problems:
            report.invalid += 1
            report.problems += [
                _sentence(record.where, name, message) for name, message in problems
            ]
            continue
        if before is not None and after == before:
            report.unchanged += 1
            continue
        if _made_before(record, before):
            stale.append((record, concept_id))
        given = record.given_fields()
        old = before.fields() if before else dict.fromkeys(after.fields(), "")
        new = after.fields()
        differences = [(name, old[name], new[name]) for name in given if old[name] != new[name]]
        kind = "update" if before else "new"
        if before:
            report.updated += 1
        else:
            report.new += 1
        report.rows.append(RowPreview(kind, after.slug, record.where, differences))
        changes.append(Change(concept_id, before, after))
    if progress:
        progress("validated", len(records), len(records))
    wanted = {slug for change in changes for slug in change.after.domains}
    if wanted:
        known_domains = set(Domain.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        report.new_domains = sorted(wanted - known_domains)
    if report.problems:
        report.new = report.updated = report.unchanged = 0
        report.rows = []
        report.new_domains = []
        changes = []
    elif stale:
        report.stale = _stale_rows(stale, current)
    return ImportPlan(report, changes, generation)


# A spreadsheet that shows the version column as a date drops its microseconds.
TRUNCATED_VERSION_TOLERANCE = timedelta(seconds=1)


def _made_before(record, current):
    """Whether a row comes from an export older than the concept's last change."""
    if current is None or record.updated_at is None or current.updated_at is None:
        return False
    tolerance = timedelta(0) if record.updated_at.microsecond else TRUNCATED_VERSION_TOLERANCE
    return current.updated_at > record.updated_at + tolerance


def _stale_rows(stale, current):
    """StaleRow of each (record, concept id), with who changed the concept last. One query."""
    last_change = {}
    for concept_id, user in (
        Concept.history.filter(id__in=[concept_id for _record, concept_id in stale])
        .order_by("history_date", "history_id")
        .values_list("id", "history_user__username")
    ):
        last_change[concept_id] = user or ""
    return [
        StaleRow(
            record.where,
            record.slug,
            last_change.get(concept_id, ""),
            current[concept_id].updated_at,
        )
        for record, concept_id in stale
    ]


@dataclass
class Match:
    """An entry of another tool's file that names an existing concept by one of its terms."""

    where: str
    slug: str  # the concept it names
    label: str  # that concept's term
    merged: bool


def _place_foreign(records, known, report, merge):
    """Records of another tool's file, placed in the glossary: those that name an existing
    concept by a term are possible matches (merged into it if chosen, else left alone); the
    others get slugs no concept has yet. Links between them follow.

    An entry matches the concept that shares the most of its terms (French and English
    both before either alone), and no two entries of one file match the same concept: a
    file that holds two entries with the same French term (Weblate's "related" and
    "matching", both "correspondant") finds each its own concept again."""
    by_term = {}
    for concept_id, language, term in ConceptText.objects.exclude(term="").values_list(
        "concept_id", "language", "term"
    ):
        by_term.setdefault((language, text.fold(term)), []).append((concept_id, term))
    slug_of = {concept_id: slug for slug, concept_id in known.items()}
    taken = set(known) | {record.slug for record in records if not record.foreign}
    claimed = set()
    placed, renamed = [], {}
    for record in records:
        if not record.foreign:
            placed.append(record)
            continue
        match = _best_match(record, by_term, claimed)
        if match is not None:
            concept_id, term = match
            claimed.add(concept_id)
            merged = merge is True or record.where in merge
            report.matches.append(Match(record.where, slug_of[concept_id], term, merged))
            renamed[record.slug] = slug_of[concept_id]
            if merged:
                placed.append(replace(record, slug=slug_of[concept_id]))
            continue
        slug, number = record.slug, 1
        while slug in taken:
            number += 1
            slug = f"{record.slug}-{number}"
        taken.add(slug)
        renamed[record.slug] = slug
        placed.append(replace(record, slug=slug))
    return [
        replace(record, see_also=tuple(renamed.get(s, s) for s in record.see_also))
        if record.foreign and record.see_also
        else record
        for record in placed
    ]


def _best_match(record, by_term, claimed):
    """(concept id, its term) of the unclaimed concept sharing the most terms with a foreign
    record, the first named on a tie; None when no concept shares one."""
    shared, first_term = {}, {}
    for language, content in record.contents.items():
        if not content.term:
            continue
        for concept_id, term in by_term.get((language, text.fold(content.term)), ()):
            if concept_id in claimed:
                continue
            shared[concept_id] = shared.get(concept_id, 0) + 1
            first_term.setdefault(concept_id, term)
    if not shared:
        return None
    best = max(shared, key=shared.get)  # max keeps the first of equals: dicts keep order
    return best, first_term[best]


def _with_slug(record):
    """The record with its slug trimmed, or derived from its terms when it has none."""
    slug = (record.slug or "").strip()
    if not slug:
        for language in content_languages():
            slug = text.slug_for(record.content(language).term or "")
            if slug:
                break
    return replace(record, slug=slug)


def _duplicates(records):
    first = {}
    repeats = []
    for record in records:
        if not record.slug:
            continue
        if record.slug in first:
            repeats.append(
                _("{where} repeats slug {slug} of {first}").format(
                    where=record.where, slug=repr(record.slug), first=first[record.slug]
                )
            )
        else:
            first[record.slug] = record.where
    return "; ".join(repeats)


def _by_field(problem):
    return problem[0] or ""


def _sentence(where, name, message):
    if not where:
        return str(message)
    sentence = _("{where}, column {column}: {message}") if name else _("{where}: {message}")
    return capfirst(sentence.format(where=where, column=name, message=message))


def _problems_of(record, slugs):
    """[(field, message)] of what makes a complete record invalid; `slugs` are those of
    every concept it may link to."""
    problems = []
    slug = record.slug
    if not slug:
        problems.append(("slug", _("No slug, and no term to derive one from.")))
    elif not SLUG_PATTERN.fullmatch(slug) or len(slug) > SLUG_LENGTH:
        problems.append(
            (
                "slug",
                _(
                    "Invalid slug {slug}: use at most 100 letters, digits, hyphens and underscores."
                ).format(slug=repr(slug[:SLUG_LENGTH])),
            )
        )
    if record.status not in Status.values:
        problems.append(("status", _("Unknown status {status}.").format(status=record.status)))
    language = default_language()
    if not record.content(language).term:
        problems.append(
            (
                f"term_{language}",
                _("A term in the default language ({language}) is required.").format(
                    language=language
                ),
            )
        )
    for code in content_languages():
        if len(record.content(code).term) > TERM_LENGTH:
            problems.append((f"term_{code}", _("A term is at most 255 characters.")))
    unknown = [target for target in record.see_also if target not in slugs]
    if unknown:
        problems.append(
            ("see_also", _("Unknown see-also slug(s): {slugs}.").format(slugs=", ".join(unknown)))
        )
    elif slug in record.see_also:
        problems.append(("see_also", _("A concept cannot be its own see-also link.")))
    wrong = [d for d in record.domains if not SLUG_PATTERN.fullmatch(d) or len(d) > SLUG_LENGTH]
    if wrong:
        problems.append(
            (
                "domains",
                _(
                    "Invalid domain slug(s) {slugs}: use letters, digits, hyphens and "
                    "underscores, separated by |."
                ).format(slugs=", ".join(repr(d[:SLUG_LENGTH]) for d in wrong)),
            )
        )
    return problems


def lock_holder(user):
    """Who the import lock names: the editor, or a script for the command line."""
    return getattr(user, "get_username", lambda: "")() or "a script"


@contextmanager
def import_lock(user):
    """Hold the one import lock for the duration of the block, or refuse with a sentence:
    two imports at once would each compare the file with a glossary the other changes."""
    holder = lock_holder(user)
    now = timezone.now()
    try:
        with transaction.atomic():
            ImportLock.objects.create(pk=1, holder=holder, started_at=now)
    except IntegrityError:
        taken = ImportLock.objects.filter(pk=1, started_at__lt=now - IMPORT_LOCK_LIFETIME).update(
            holder=holder, started_at=now
        )
        if not taken:
            running = ImportLock.objects.filter(pk=1).first()
            raise WriteRefused(
                [
                    _(
                        "Another import is running (started by {holder} at {time}). "
                        "Nothing was imported; try again when it has finished."
                    ).format(
                        holder=running.holder if running else "?",
                        time=f"{timezone.localtime(running.started_at):%H:%M}" if running else "?",
                    )
                ]
            ) from None
    except OperationalError as error:
        raise Busy([busy_message()]) from error
    try:
        yield
    finally:
        ImportLock.objects.filter(pk=1, holder=holder, started_at=now).delete()


# -- the commit ----------------------------------------------------------------------


def commit(changes, *, user=None, reason=""):
    """Write `changes` in one transaction, record one history version per concept, refresh
    what derives from them once. Returns {slug: id} of the concepts written."""
    if not changes:
        return {}
    with write_transaction():
        return _write(changes, user=user, reason=reason, when=timezone.now())


@contextmanager
def write_transaction():
    """One transaction for a write; a database another writer holds too long becomes a
    sentence (`Busy`), never a server error."""
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            yield
    except OperationalError as error:
        if is_busy(error):
            raise Busy([busy_message()]) from error
        raise


def is_busy(error):
    """SQLite's "database is locked" past its busy timeout, PostgreSQL's lock timeout."""
    message = str(error).lower()
    return "database is locked" in message or "lock timeout" in message


def _write(changes, *, user, reason, when, prepared=None):
    """Write `changes`, their history, and what derives from them (`prepared` beforehand by
    `_prepare`, or derived now from what was written)."""
    upserts = [c for c in changes if c.after is not None]
    deletions = [c for c in changes if c.after is None]
    ids = _write_concepts(upserts, when)
    # Now that the new concepts have ids, their search vectors can be computed meanwhile.
    ahead = derived.documents_ahead(prepared, ids) if prepared is not None else nullcontext()
    with ahead as vectors_ahead:
        links = prepared.links_by_text(ids) if prepared is not None else {}
        texts = _write_texts(upserts, ids, links)
        _write_links(upserts, ids)
        _write_domains(upserts, ids)
        versions = [
            (
                ids[c.after.slug],
                history.CHANGED if c.before else history.CREATED,
                c.after,
                texts.get(ids[c.after.slug], {}),
            )
            for c in upserts
        ]
        versions += [
            (c.concept_id, history.DELETED, c.before, _deleted_texts(c.concept_id, c.before))
            for c in deletions
        ]
        history.record(versions, user=user, reason=reason, when=when)
        _delete_concepts([c.concept_id for c in deletions])
        if prepared is None:
            derived.refresh(
                [ids[c.after.slug] for c in upserts], changed_wordings=_changed_wordings(changes)
            )
        else:
            derived.apply(prepared, ids, links, vectors_ahead)
    return {c.after.slug: ids[c.after.slug] for c in upserts}


def _prepare(changes):
    """What `changes` derive, computed from their records before anything is written."""
    contents_of = {
        (c.concept_id or derived.New(c.after.slug)): (
            c.after.status == Status.PUBLISHED,
            c.after.contents,
        )
        for c in changes
        if c.after is not None
    }
    return derived.prepare(
        contents_of,
        changed_wordings=_changed_wordings(changes),
        removed={c.concept_id for c in changes if c.after is None},
    )


def _changed_wordings(changes):
    """The wordings that appear or disappear: definitions naming them are linked anew."""
    wordings = set()
    for change in changes:
        before = change.before.linked_names() if change.before else set()
        after = change.after.linked_names() if change.after else set()
        wordings |= before ^ after
    return wordings


def _write_concepts(upserts, when):
    """Insert new concepts and update the others (their "last updated" date included: it is
    what readers and the API's sync go by); {slug: id} of all of them."""
    new = [c for c in upserts if c.before is None]
    insert_rows(
        Concept,
        ["slug", "status", "created_at", "updated_at"],
        [(c.after.slug, c.after.status, when, when) for c in new if c.concept_id is None],
    )
    insert_rows(
        Concept,
        ["id", "slug", "status", "created_at", "updated_at"],
        [(c.concept_id, c.after.slug, c.after.status, when, when) for c in new if c.concept_id],
    )
    update_rows(
        Concept,
        ["slug", "status", "updated_at"],
        [(c.after.slug, c.after.status, when, c.concept_id) for c in upserts if c.before],
    )
    ids = {c.after.slug: c.concept_id for c in upserts if c.concept_id}
    if any(c.concept_id is None for c in new):
        ids.update(Concept.objects.filter(created_at=when).values_list("slug", "pk"))
    return ids


def _write_texts(upserts, ids, links):
    """Create, change or delete each language's text; {concept id: {language: (text id,
    history type, content)}} of what was written, for the history. A new text is written
    with its definition's links, taken out of `links` ({(concept id, language): spans}):
    updating thousands of rows just inserted cost as much as inserting them."""
    concept_ids = [ids[c.after.slug] for c in upserts if c.before is not None]
    existing = {
        (concept_id, language): text_id
        for text_id, concept_id, language in ConceptText.objects.filter(
            concept_id__in=concept_ids
        ).values_list("id", "concept_id", "language")
    }
    inserts, updates, deletions, kinds = [], [], [], {}
    for change in upserts:
        concept_id = ids[change.after.slug]
        for language in content_languages():
            content = change.after.content(language)
            before = change.before.content(language) if change.before else None
            text_id = existing.get((concept_id, language))
            if not content:
                if text_id is not None:
                    deletions.append(text_id)
                    kinds.setdefault(concept_id, {})[language] = (text_id, history.DELETED, before)
            elif text_id is None:
                inserts.append((concept_id, language, content))
            elif content != before:
                updates.append((*text_values(content), text_id))
                kinds.setdefault(concept_id, {})[language] = (text_id, history.CHANGED, content)
    insert_rows(
        ConceptText,
        ["concept", "language", *STORED_PARTS, "definition_links"],
        [
            (concept_id, language, *text_values(c), links.pop((concept_id, language), []))
            for concept_id, language, c in inserts
        ],
    )
    update_rows(ConceptText, list(STORED_PARTS), updates)
    delete_rows(ConceptText, "id", deletions)
    if inserts:
        created = {(concept_id, language): content for concept_id, language, content in inserts}
        for text_id, concept_id, language in ConceptText.objects.filter(
            concept_id__in={concept_id for concept_id, _l, _c in inserts}
        ).values_list("id", "concept_id", "language"):
            if (concept_id, language) in created:
                kinds.setdefault(concept_id, {})[language] = (
                    text_id,
                    history.CREATED,
                    created[(concept_id, language)],
                )
    return kinds


def _deleted_texts(concept_id, record):
    """The texts a deletion takes away, for its history version."""
    return {
        language: (text_id, history.DELETED, record.content(language))
        for text_id, language in ConceptText.objects.filter(concept_id=concept_id).values_list(
            "id", "language"
        )
    }


def _write_links(upserts, ids):
    """Replace the see-also links of the concepts whose links changed."""
    linking = [c for c in upserts if c.before is None or c.before.see_also != c.after.see_also]
    if not linking:
        return
    through = Concept.see_also.through
    delete_rows(through, "from_concept", [ids[c.after.slug] for c in linking if c.before])
    targets = {slug for c in linking for slug in c.after.see_also}
    target_ids = dict(Concept.objects.filter(slug__in=targets).values_list("slug", "pk"))
    insert_rows(
        through,
        ["from_concept", "to_concept"],
        [(ids[c.after.slug], target_ids[slug]) for c in linking for slug in c.after.see_also],
    )


def _write_domains(upserts, ids):
    """Replace the domains of the concepts whose domains changed, creating the domains no
    one made yet (an import's new slug: named after it until an editor names it)."""
    changing = [c for c in upserts if c.before is None or c.before.domains != c.after.domains]
    if not changing:
        return
    wanted = {slug for c in changing for slug in c.after.domains}
    known = dict(Domain.objects.filter(slug__in=wanted).values_list("slug", "pk"))
    missing = sorted(wanted - set(known))
    if missing:
        insert_rows(
            Domain,
            ["slug", "names"],
            [(slug, {default_language(): domain_name(slug)}) for slug in missing],
        )
        known = dict(Domain.objects.filter(slug__in=wanted).values_list("slug", "pk"))
    through = Concept.domains.through
    delete_rows(through, "concept", [ids[c.after.slug] for c in changing if c.before])
    insert_rows(
        through,
        ["concept", "domain"],
        [(ids[c.after.slug], known[slug]) for c in changing for slug in c.after.domains],
    )


def domain_name(slug):
    """The name a domain created from its slug starts with: `cycle-de-vie` → Cycle de vie."""
    return slug.replace("-", " ").replace("_", " ").strip().capitalize()


def _delete_concepts(concept_ids):
    """Delete concepts and every row that depends on them, with no signal: the writer has
    recorded their history and refreshes what derives from them."""
    if not concept_ids:
        return
    for model, column in (
        (ConceptText, "concept"),
        (IndexEntry, "concept"),
        (SearchDocument, "concept"),
        (Concept.see_also.through, "from_concept"),
        (Concept.see_also.through, "to_concept"),
        (Concept.domains.through, "concept"),
        (Concept.mentions.through, "from_concept"),
        (Concept.mentions.through, "to_concept"),
        (Concept, "id"),
    ):
        delete_rows(model, column, concept_ids)
