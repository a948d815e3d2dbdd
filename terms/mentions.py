"""Mentions: definitions that name other concepts, linked when a concept changes.

A definition is cut once, when it or a name it could contain changes: where it names
a concept is stored in `ConceptText.definition_links`; `Concept.mentions` holds the
concepts it names, so a term page can list "mentioned in" with one query and
never scans text while a reader waits. Targets are concept ids, so renaming a
slug breaks nothing. terms/derived.py decides when to cut; this module says how.
"""

from django.db.models import Q

from terms.models import ConceptText
from terms.text import MentionMatcher

# Past this many changed wordings, recomputing every definition is cheaper
# than looking for the ones that might contain them.
MAX_CANDIDATE_WORDINGS = 200


def build_matcher(names):
    """A matcher over `names`: (wording, target, case_sensitive, rank) of every concept.

    Longer and case-sensitive names are tried first by the matcher itself; of two
    concepts sharing a wording, the one of lower rank wins (the older concept).
    """
    ordered = sorted(names, key=lambda name: (name[3], name[0]))
    return MentionMatcher((wording, target, exact) for wording, target, exact, _rank in ordered)


def names_of(target, contents, rank):
    """The matcher's names for one concept, in every language: its terms and variants, and
    its acronyms matched as written; a one-word variant matched with its capitalisation as
    written too (`Découverte` names *Démo/Découverte*, the ordinary word "découverte" does
    not); none of the wordings editors marked as not to link."""
    names = []
    for content in contents.values():
        linked = set(content.linked_names())
        if content.term in linked:
            names.append((content.term, target, False, rank))
        names.extend(
            (acronym, target, True, rank) for acronym in content.acronyms if acronym in linked
        )
        names.extend(
            (variant, target, len(variant.split()) == 1, rank)
            for variant in content.variants
            if variant in linked
        )
    return names


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
