"""Concept history: recording every change with who, when and why, and reading versions back.

django-simple-history's tables hold a snapshot of the concept (with its see-also
links) and of each language's text at every change. The writer records them
itself (`record`), in a few statements whatever the number of concepts; a save
made outside the writer (a shell, a script) is still recorded by simple-history's
own signals.

A version of a concept is one concept record; its texts are those in force until
the next concept record (a change records the concept and its texts at the same
moment).
"""

from dataclasses import dataclass, field, replace

from django.utils.dateparse import parse_datetime

from terms.bulk import insert_rows
from terms.languages import content_languages
from terms.models import Concept, ConceptText, Domain
from terms.records import (
    EMPTY,
    STORED_PARTS,
    ConceptRecord,
    Content,
    load_records,
    text_values,
)

CREATED, CHANGED, DELETED = "+", "~", "-"
REASON_LENGTH = 100


@dataclass
class Version:
    history: object  # the concept's historical row: who, when, why
    concept: ConceptRecord  # the concept as it was, see-also links to concepts that still exist
    changes: list = field(default_factory=list)  # [(field, then, now)]


# -- recording -------------------------------------------------------------------


def record(entries, *, user, reason, when):
    """Record one version per entry: (concept id, history type, record, texts).

    The record is the concept as it now is (as it was, for a deletion); `texts` are
    the language texts the change wrote, {language: (text id, history type, content)}.
    A few statements whatever the number of entries.
    """
    if not entries:
        return
    user_id = user.pk if getattr(user, "is_authenticated", False) else None
    reason = (reason or "")[:REASON_LENGTH] or None
    snapshot = Concept.history.model
    created = dict(
        Concept.objects.filter(pk__in=[e[0] for e in entries]).values_list("pk", "created_at")
    )
    insert_rows(
        snapshot,
        [
            "id",
            "slug",
            "status",
            "created_at",
            "updated_at",
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user",
        ],
        [
            (
                concept_id,
                concept.slug,
                concept.status,
                created.get(concept_id, when),
                when,
                when,
                reason,
                kind,
                user_id,
            )
            for concept_id, kind, concept, _texts in entries
        ],
    )
    _record_links(entries, when)
    _record_domains(entries, when)
    insert_rows(
        ConceptText.history.model,
        [
            "id",
            "concept",
            "language",
            *STORED_PARTS,
            "history_date",
            "history_change_reason",
            "history_type",
            "history_user",
        ],
        [
            (
                text_id,
                concept_id,
                language,
                *text_values(content),
                when,
                reason,
                text_kind,
                user_id,
            )
            for concept_id, _kind, _concept, texts in entries
            for language, (text_id, text_kind, content) in texts.items()
        ],
    )


def _record_links(entries, when):
    """The see-also links of each recorded version, as simple-history keeps them."""
    snapshot = Concept.history.model
    links = Concept.see_also.through
    recorded = {
        concept_id: history_id
        for concept_id, history_id in snapshot.objects.filter(history_date=when).values_list(
            "id", "history_id"
        )
    }
    slugs = {slug for _id, _kind, concept, _texts in entries for slug in concept.see_also}
    ids = dict(Concept.objects.filter(slug__in=slugs).values_list("slug", "pk")) if slugs else {}
    link_ids = dict(
        ((source, target), link_id)
        for link_id, source, target in links.objects.filter(
            from_concept_id__in=list(recorded)
        ).values_list("id", "from_concept_id", "to_concept_id")
    )
    insert_rows(
        snapshot.see_also.model,
        ["id", "history", "from_concept", "to_concept"],
        [
            (link_ids.get((concept_id, ids[slug]), 0), recorded[concept_id], concept_id, ids[slug])
            for concept_id, _kind, concept, _texts in entries
            for slug in concept.see_also
            if slug in ids and concept_id in recorded
        ],
    )


def _record_domains(entries, when):
    """The domains of each recorded version, as simple-history keeps them."""
    snapshot = Concept.history.model
    recorded = dict(snapshot.objects.filter(history_date=when).values_list("id", "history_id"))
    slugs = {slug for _id, _kind, concept, _texts in entries for slug in concept.domains}
    if not slugs:
        return
    ids = dict(Domain.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    through_ids = dict(
        ((concept_id, domain_id), through_id)
        for through_id, concept_id, domain_id in Concept.domains.through.objects.filter(
            concept_id__in=list(recorded)
        ).values_list("id", "concept_id", "domain_id")
    )
    insert_rows(
        snapshot.domains.model,
        ["id", "history", "concept", "domain"],
        [
            (
                through_ids.get((concept_id, ids[slug]), 0),
                recorded[concept_id],
                concept_id,
                ids[slug],
            )
            for concept_id, _kind, concept, _texts in entries
            for slug in concept.domains
            if slug in ids and concept_id in recorded
        ],
    )


# -- reading -----------------------------------------------------------------------


def version_of(history):
    """The concept as recorded by `history` (one of its historical rows), and how it differs
    from the concept today."""
    entry = next(e for e in versions(history.id) if e.history.history_id == history.history_id)
    now = load_records([history.id]).get(history.id)
    return Version(history=history, concept=entry.concept, changes=_differences(entry.concept, now))


def _differences(then, now):
    """[(field, then, now)] for every field where `then` differs from `now` (None: gone)."""
    now_fields = now.fields() if now else dict.fromkeys(then.fields(), "")
    return [
        (name, value, now_fields[name])
        for name, value in then.fields().items()
        if value != now_fields[name]
    ]


@dataclass
class Entry:
    """One version in a concept's history, as the history page lists it."""

    history: object  # the concept's historical row: who, when, why, what kind
    concept: ConceptRecord
    changes: list  # [(field, before, after)] against the version before it
    restorable: bool  # differs from the concept today and could be saved as it was


def versions(concept_id):
    """The versions of a concept, newest first, each with what it changed. A fixed number of
    queries however long the history.

    A version's texts are those written until the next version of the concept; a deletion
    records the concept as it was just before, with the texts it still had.
    """
    rows = list(
        Concept.history.filter(id=concept_id)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    links = {}
    for history_id, target in Concept.history.model.see_also.model.objects.filter(
        from_concept_id=concept_id
    ).values_list("history_id", "to_concept_id"):
        links.setdefault(history_id, []).append(target)
    # A domain deleted since is left out of the versions that had it, as a see-also link to
    # a deleted concept is: its row is gone, and with it its slug.
    domains = {}
    for history_id, slug in (
        Concept.history.model.domains.model.objects.filter(concept_id=concept_id)
        .filter(domain__slug__isnull=False)
        .values_list("history_id", "domain__slug")
    ):
        domains.setdefault(history_id, []).append(slug)
    texts = list(
        ConceptText.history.filter(concept_id=concept_id).order_by("history_date", "history_id")
    )
    targets = {target for linked in links.values() for target in linked}
    slugs = dict(Concept.objects.filter(pk__in=targets).values_list("pk", "slug"))
    now = load_records([concept_id]).get(concept_id)
    # `contents` follows every text row; `kept` ignores deletions, for a deleted concept's
    # last state (texts may be recorded as deleted just before the concept is).
    entries, contents, kept, previous, position = [], {}, {}, None, 0
    for number, row in enumerate(rows):
        until = rows[number + 1].history_date if number + 1 < len(rows) else None
        while position < len(texts) and (until is None or texts[position].history_date < until):
            text = texts[position]
            position += 1
            if text.language not in content_languages():
                continue
            if text.history_type == DELETED:
                contents[text.language] = EMPTY
            else:
                contents[text.language] = kept[text.language] = Content.from_row(
                    [getattr(text, part) for part in STORED_PARTS]
                )
        if row.history_type == DELETED:
            concept = replace(
                previous or ConceptRecord(slug=row.slug, status=row.status),
                contents={code: kept.get(code, EMPTY) for code in content_languages()},
            )
        else:
            concept = ConceptRecord(
                slug=row.slug,
                status=row.status,
                contents={code: contents.get(code, EMPTY) for code in content_languages()},
                see_also=tuple(
                    sorted(slugs[t] for t in links.get(row.history_id, ()) if t in slugs)
                ),
                domains=tuple(sorted(domains.get(row.history_id, ()))),
            )
        changes = _differences(previous, concept) if previous else []
        restorable = (
            row.history_type != DELETED
            and bool(concept.content(content_languages()[0]).term)
            and (now is None or concept != now)
        )
        entries.append(Entry(row, concept, changes, restorable))
        previous = concept
    return entries[::-1]


def changes_since(concept_id, version):
    """(who, when, [(field, then, now)]) of what happened to a concept since `version`, the
    "last updated" moment (ISO 8601) at which an editor saw it."""
    rows = Concept.history.filter(id=concept_id).order_by("history_date", "history_id")
    latest = rows.last()
    since = parse_datetime(version) if version else None
    seen = rows.filter(history_date__lte=since).last() if since else None
    if latest is None:
        return "", None, []
    changes = version_of(seen).changes if seen else []
    return str(latest.history_user or ""), latest.history_date, changes


def deleted_concepts():
    """The latest deletion record of each concept that does not exist any more."""
    existing = Concept.objects.values("pk")
    records = (
        Concept.history.filter(history_type=DELETED)
        .exclude(id__in=existing)
        .order_by("id", "-history_date")
    )
    latest = {}
    for history in records:
        latest.setdefault(history.id, history)
    return sorted(latest.values(), key=lambda r: r.history_date, reverse=True)
