"""Mentions: definitions that name other concepts, linked when a concept changes.

A definition is cut once, when it or a name it could contain changes, into
pieces stored in `ConceptText.definition_links`; `Concept.mentions` holds the
concepts it names, so a term page can list "mentioned in" with one query and
never scans text while a reader waits. Targets are concept ids, so renaming a
slug breaks nothing.
"""

import json

from django.db import connection, transaction
from django.db.models import Q

from terms.bulk import insert_rows
from terms.models import Concept, ConceptText
from terms.text import MentionMatcher, linked_targets

# Past this many changed wordings, recomputing every definition is cheaper
# than looking for the ones that might contain them.
MAX_CANDIDATE_WORDINGS = 200


def build_matcher():
    """A matcher over every concept's names (one query)."""
    names = []
    for concept_id, term, acronyms, variants in ConceptText.objects.values_list(
        "concept_id", "term", "acronyms", "variants"
    ):
        if term:
            names.append((term, concept_id, False))
        names.extend((acronym, concept_id, True) for acronym in acronyms)
        names.extend((variant, concept_id, False) for variant in variants)
    # Longer and case-sensitive names are tried first by the matcher itself;
    # sorting makes the winner of two concepts sharing a wording deterministic.
    names.sort(key=lambda name: (name[1], name[0]))
    return MentionMatcher(names)


def concepts_that_may_name(wordings):
    """Ids of concepts whose definitions may contain one of `wordings` (or None: all).
    One query: each wording's longest word looked for in the definitions."""
    if len(wordings) > MAX_CANDIDATE_WORDINGS:
        return None
    words = {max(wording.split(), key=len, default="") for wording in wordings}
    condition = Q()
    for word in sorted(word for word in words if len(word) >= 2):
        condition |= Q(definition__icontains=word)
    if not condition:
        return set()
    return set(ConceptText.objects.filter(condition).values_list("concept_id", flat=True))


def relink(concept_ids, changed_wordings):
    """Relink what a change may affect: the definitions of `concept_ids`, and those that may
    name a wording that appeared or disappeared (`changed_wordings`)."""
    if not changed_wordings:
        refresh_mentions(concept_ids)
        return
    candidates = concepts_that_may_name(changed_wordings)
    refresh_mentions(None if candidates is None else set(concept_ids) | candidates)


@transaction.atomic
def refresh_mentions(concept_ids=None):
    """Recompute the linked definitions and mentions of `concept_ids` (None: all concepts).

    The caller makes cached pages stale (terms/derived.py bumps the generation once).
    """
    matcher = build_matcher()
    texts = ConceptText.objects.exclude(definition="")
    if concept_ids is not None:
        texts = texts.filter(concept_id__in=list(concept_ids))
    mentions_by_concept = {}
    changed = []
    for content in texts.only("id", "concept_id", "definition", "definition_links"):
        segments = matcher.segments(content.definition, exclude=content.concept_id)
        mentions_by_concept.setdefault(content.concept_id, set()).update(linked_targets(segments))
        if segments != content.definition_links:
            content.definition_links = segments
            changed.append(content)
    _save_links(changed)

    through = Concept.mentions.through
    scope = through.objects.all()
    if concept_ids is not None:
        scope = scope.filter(from_concept_id__in=list(concept_ids))
    scope.delete()
    insert_rows(
        through,
        ["from_concept", "to_concept"],
        [
            (source, target)
            for source, targets in mentions_by_concept.items()
            for target in sorted(targets)
        ],
    )


def _save_links(texts):
    """Write `definition_links` of many texts: one prepared UPDATE run for each, which is
    many times faster than bulk_update's CASE expressions on thousands of rows."""
    if not texts:
        return
    table = connection.ops.quote_name(ConceptText._meta.db_table)
    placeholder = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET definition_links = {placeholder} WHERE id = %s",
            [(json.dumps(t.definition_links, ensure_ascii=False), t.pk) for t in texts],
        )


def paragraphs_of(segments):
    """Linked pieces grouped into paragraphs (split at blank lines), for the template."""
    paragraphs = [[]]
    for piece, target in segments:
        if target is not None:
            paragraphs[-1].append((piece, target))
            continue
        parts = piece.split("\n\n")
        for number, part in enumerate(parts):
            if number:
                paragraphs.append([])
            part = part.strip("\n") if len(parts) > 1 else part
            if part:
                paragraphs[-1].append((part, None))
    return [paragraph for paragraph in paragraphs if paragraph]
