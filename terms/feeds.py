"""The Atom feed of what's new (`/<lang>/feed/`): the same changes as the "what's new" page."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext

from terms import news

SUMMARY_WORDS = 60


@dataclass(frozen=True)
class FeedOf:
    """What one request's feed is made for: the feed object lives as long as the process,
    so nothing of a request may be kept on it."""

    language: str
    host: str


@dataclass(frozen=True)
class FeedEntry:
    change: news.NewsItem
    host: str


class LatestChangesFeed(Feed):
    feed_type = Atom1Feed
    item_guid_is_permalink = False

    def get_object(self, request, *args, **kwargs):
        return FeedOf(language=request.LANGUAGE_CODE, host=request.get_host())

    def title(self, obj):
        return gettext("What's new in the sales glossary")

    def subtitle(self, obj):
        return gettext("Terms added, translated or redefined by the sales-enablement team.")

    def link(self, obj):
        return reverse("terms:new")

    def feed_url(self, obj):
        return reverse("terms:feed")

    def author_name(self, obj):
        return gettext("The sales-enablement team")

    def feed_copyright(self, obj):
        return settings.GLOSSARY_TITLE

    def items(self, obj):
        return [FeedEntry(item, obj.host) for item in news.latest(obj.language, news.FEED_LIMIT)]

    def item_title(self, entry):
        changes = ", ".join(change.text for change in entry.change.changes)
        return f"{entry.change.label} · {changes}"

    # Atom's summary is declared HTML: a definition is plain text, so it is escaped once
    # more for feed readers to show it as written, never as markup.
    def item_description(self, entry):
        return escape(Truncator(entry.change.definition).words(SUMMARY_WORDS))

    def item_link(self, entry):
        return reverse("terms:detail", kwargs={"slug": entry.change.slug})

    def item_guid(self, entry):
        # One entry per published version: a later change is a new entry in feed readers.
        host = entry.host.split(":")[0]
        return f"tag:{host},2026:{entry.change.slug}/{entry.change.history_id}"

    def item_pubdate(self, entry):
        return entry.change.when

    def item_updateddate(self, entry):
        return entry.change.when
