"""What's new: the published concepts changed most recently, each with what changed for readers.

Read from the concepts' history (terms/history.py), in a fixed number of queries
however long it is. Only what readers could see counts: a concept's latest
published version is compared with the published version before it, so edits
made while it was a draft never show, and a concept published for the first time is
"new".
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from terms.history import DELETED
from terms.languages import content_languages, first_present
from terms.models import Concept, ConceptText, Status

# The "what's new" page, the home page's excerpt and the Atom feed.
PAGE_LIMIT = 50
HOME_LIMIT = 5
FEED_LIMIT = 30

NEW = "new"
TRANSLATED = "translated"
RENAMED = "renamed"
DEFINED = "defined"
DEFINITION = "definition"
UPDATED = "updated"
KIND_LABELS = {
    NEW: _("New"),
    TRANSLATED: _("Translated"),
    RENAMED: _("Term changed"),
    DEFINED: _("Definition added"),
    DEFINITION: _("Definition changed"),
    UPDATED: _("Updated"),
}
# What readers care about first, when one change did several things.
KIND_ORDER = [NEW, TRANSLATED, RENAMED, DEFINED, DEFINITION, UPDATED]


@dataclass(frozen=True)
class Change:
    """One kind of change; `language`: the language it happened in, where it says."""

    kind: str
    language: str = ""

    @property
    def label(self):
        return KIND_LABELS[self.kind]

    @property
    def text(self):
        """The change as a reader reads it: "Translated (English)", "Définition modifiée
        (anglais)"; French writes language names in lower case inside a sentence."""
        if not self.language:
            return str(self.label)
        name = str(get_language_info(self.language)["name_translated"])
        if get_language() == "fr":
            name = name.lower()
        return f"{self.label} ({name})"


@dataclass
class NewsItem:
    """A concept on the "what's new" page: its latest published change."""

    slug: str
    label: str  # the concept's term on the page's language (or its fallback)
    label_language: str
    when: datetime
    changes: list = field(default_factory=list)  # [Change]
    definition: str = ""
    definition_language: str = ""
    history_id: int = 0  # of the version it reports: a stable id for the feed's entry

    @property
    def is_new(self):
        return any(change.kind == NEW for change in self.changes)


def latest(language, limit=PAGE_LIMIT):
    """The `limit` published concepts changed most recently, newest first. Three queries:
    which concepts, then their history, which also says their slugs, terms and definitions
    as published now (every change records a version)."""
    published = Concept.objects.published().values("pk")
    recent = list(
        Concept.history.filter(id__in=published, status=Status.PUBLISHED)
        .exclude(history_type=DELETED)
        .values("id")
        .annotate(latest=Max("history_date"))
        .order_by("-latest", "-id")
        .values_list("id", "latest")[:limit]
    )
    versions = _published_versions([concept_id for concept_id, _when in recent])
    items = []
    for concept_id, _when in recent:
        if concept_id not in versions:
            continue
        now, before = versions[concept_id]
        label, label_language = _shown(now.texts, 0, language)
        definition, definition_language = _shown(now.texts, 1, language)
        items.append(
            NewsItem(
                slug=now.slug,
                label=label or now.slug,
                label_language=label_language,
                when=now.when,
                changes=changes_between(before.texts if before else None, now.texts),
                definition=definition,
                definition_language=definition_language,
                history_id=now.history_id,
            )
        )
    return items


def by_day(items):
    """[(date, [items])], the days in the items' order (newest first), in local time."""
    days = []
    for item in items:
        day = timezone.localdate(item.when)
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append(item)
    return days


def changes_between(before, now):
    """What changed for readers from `before` to `now`, two {language: (term, definition)}
    states (`before` None: nothing was published), in KIND_ORDER."""
    if before is None:
        return [Change(NEW)]
    changes = []
    for code in content_languages():
        term_then, definition_then = before.get(code, ("", ""))
        term_now, definition_now = now.get(code, ("", ""))
        if term_now and not term_then:
            changes.append(Change(TRANSLATED, code))
        elif term_now != term_then and term_now:
            changes.append(Change(RENAMED, code))
        if definition_now and not definition_then:
            changes.append(Change(DEFINED, code))
        elif definition_now != definition_then and definition_now:
            changes.append(Change(DEFINITION, code))
    if not changes:
        changes.append(Change(UPDATED))
    return sorted(changes, key=lambda change: KIND_ORDER.index(change.kind))


@dataclass
class PublishedVersion:
    history_id: int
    when: datetime
    slug: str
    texts: dict  # {language: (term, definition)}


def _published_versions(concept_ids):
    """{concept id: (latest published version, the published version before it or None)}.
    Two queries, replaying the concepts' text history as terms/history.py's `versions`
    does: a version's texts are those written until the concept's next version."""
    rows = {}
    for concept_id, history_id, when, slug, status, kind in (
        Concept.history.filter(id__in=concept_ids)
        .order_by("history_date", "history_id")
        .values_list("id", "history_id", "history_date", "slug", "status", "history_type")
    ):
        rows.setdefault(concept_id, []).append((history_id, when, slug, status, kind))
    texts = {}
    for concept_id, code, term, definition, when, kind in (
        ConceptText.history.filter(concept_id__in=concept_ids)
        .order_by("history_date", "history_id")
        .values_list("concept_id", "language", "term", "definition", "history_date", "history_type")
    ):
        texts.setdefault(concept_id, []).append((code, term, definition, when, kind))
    found = {}
    for concept_id, versions in rows.items():
        published, state, position = [], {}, 0
        changes = texts.get(concept_id, [])
        for number, (history_id, when, slug, status, kind) in enumerate(versions):
            until = versions[number + 1][1] if number + 1 < len(versions) else None
            while position < len(changes) and (until is None or changes[position][3] < until):
                code, term, definition, _when, text_kind = changes[position]
                position += 1
                state[code] = ("", "") if text_kind == DELETED else (term, definition)
            if status == Status.PUBLISHED and kind != DELETED:
                published.append(PublishedVersion(history_id, when, slug, dict(state)))
        if published:
            found[concept_id] = (published[-1], published[-2] if len(published) > 1 else None)
    return found


def _shown(texts, index, language):
    """(term or definition, its language) as a page in `language` shows it: the fallback rule."""
    return first_present(lambda code: texts.get(code, ("", ""))[index], language)
