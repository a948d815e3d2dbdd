"""Concept history: what a concept looked like at a version, and bringing it back.

django-simple-history records a snapshot of the concept (with its see-also
links) and of each language's text on every change. A version of a concept
is one concept record; its texts are those in force until the next concept
record, because a form saves the concept first and its texts just after.
"""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from terms.interchange.resource import CONTENT_PARTS
from terms.mentions import refresh_after_change, wordings_of
from terms.models import Concept, ConceptText, content_languages

EPSILON = timedelta(microseconds=1)


class RestoreError(Exception):
    """The version cannot be restored as it is; the message says why."""


@dataclass
class Version:
    record: object
    texts: dict  # {language: {term, acronyms, variants, definition}}
    see_also: list  # slugs that still exist
    changes: list = field(default_factory=list)  # [(field, then, now)]


def _texts_until(concept_id, moment):
    """The concept's texts as they stood at `moment`."""
    texts = {}
    for record in ConceptText.history.filter(
        concept_id=concept_id, history_date__lte=moment
    ).order_by("language", "-history_date", "-history_id"):
        if record.language in texts or record.language not in content_languages():
            continue
        texts[record.language] = (
            None
            if record.history_type == "-"
            else {part: getattr(record, part) for part in CONTENT_PARTS}
        )
    return {language: values for language, values in texts.items() if values}


def _next_record_date(record):
    later = (
        Concept.history.filter(id=record.id, history_date__gt=record.history_date)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return later


def version_of(record):
    """Concept `record` with its texts and links, and how it differs from today."""
    if record.history_type == "-":
        # Texts and links are gone by the time the deletion is recorded: take them as
        # they were in the last state before it.
        texts = _last_texts_before_deletion(record)
        linked_record = (
            Concept.history.filter(id=record.id, history_date__lt=record.history_date)
            .exclude(history_type="-")
            .order_by("-history_date", "-history_id")
            .first()
        ) or record
    else:
        until = _next_record_date(record) or timezone.now() + timedelta(seconds=1)
        texts = _texts_until(record.id, until - EPSILON)
        linked_record = record
    target_ids = [row.to_concept_id for row in linked_record.see_also.all()]
    slugs = dict(Concept.objects.filter(pk__in=target_ids).values_list("pk", "slug"))
    version = Version(
        record=record, texts=texts, see_also=sorted(slugs[i] for i in target_ids if i in slugs)
    )
    version.changes = _differences(version)
    return version


def _last_texts_before_deletion(record):
    texts = {}
    for text_record in (
        ConceptText.history.filter(concept_id=record.id)
        .exclude(history_type="-")
        .order_by("language", "-history_date", "-history_id")
    ):
        texts.setdefault(
            text_record.language, {part: getattr(text_record, part) for part in CONTENT_PARTS}
        )
    return texts


def _differences(version):
    current = Concept.objects.filter(pk=version.record.id).first()
    now_texts = {}
    now_links = []
    if current is not None:
        now_texts = {
            t.language: {part: getattr(t, part) for part in CONTENT_PARTS}
            for t in current.texts.all()
        }
        now_links = sorted(current.see_also.values_list("slug", flat=True))
    changes = []
    for name in ("slug", "status"):
        now = getattr(current, name) if current else ""
        then = getattr(version.record, name)
        if then != now:
            changes.append((name, then, now))
    empty = dict.fromkeys(CONTENT_PARTS, "")
    for language in content_languages():
        then = version.texts.get(language, empty)
        now = now_texts.get(language, empty)
        for part in CONTENT_PARTS:
            if (then.get(part) or "") != (now.get(part) or ""):
                changes.append((f"{part}_{language}", then.get(part), now.get(part)))
    if version.see_also != now_links:
        changes.append(("see_also", version.see_also, now_links))
    return changes


def deleted_concepts():
    """The latest deletion record of each concept that does not exist any more."""
    existing = Concept.objects.values("pk")
    records = (
        Concept.history.filter(history_type="-")
        .exclude(id__in=existing)
        .order_by("id", "-history_date")
    )
    latest = {}
    for record in records:
        latest.setdefault(record.id, record)
    return sorted(latest.values(), key=lambda r: r.history_date, reverse=True)


@transaction.atomic
def restore(record, *, user=None):
    """Make the concept what it was at `record` (recreating it if it was deleted)."""
    version = version_of(record)
    if not version.texts.get(content_languages()[0], {}).get("term"):
        raise RestoreError("This version has no term in the default language.")
    taken = Concept.objects.filter(slug=record.slug).exclude(pk=record.id).exists()
    if taken:
        raise RestoreError(f"Another concept now uses the slug {record.slug!r}.")
    before = wordings_of(ConceptText.objects.filter(concept_id=record.id))
    concept = Concept.objects.filter(pk=record.id).first() or Concept(pk=record.id)
    concept.slug, concept.status = record.slug, record.status
    concept._change_reason = f"restored the version of {record.history_date:%Y-%m-%d %H:%M:%S}"
    if user is not None:
        concept._history_user = user
    try:
        concept.save()
    except IntegrityError as error:
        raise RestoreError(str(error)) from None
    current = {t.language: t for t in ConceptText.objects.filter(concept=concept)}
    for language in content_languages():
        values = version.texts.get(language)
        content = current.get(language)
        if values is None:
            if content is not None:
                content.delete()
            continue
        content = content or ConceptText(concept=concept, language=language)
        for part in CONTENT_PARTS:
            setattr(content, part, values[part])
        content._change_reason = concept._change_reason
        content.save()
    concept.see_also.set(Concept.objects.filter(slug__in=version.see_also))
    concept.refresh_derived()
    after = wordings_of(ConceptText.objects.filter(concept=concept))
    refresh_after_change({concept.pk}, before ^ after)
    return concept
