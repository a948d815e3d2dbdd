"""Reader pages about the glossary as a whole: what's new, its Atom feed, and the glossary on
paper. Cached and invalidated like every reader page (terms/caching.py)."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from terms import news, paper
from terms.caching import cache_reader_page
from terms.feeds import LatestChangesFeed

# The whole glossary weighs megabytes at ten thousand concepts: cached all the same (it is
# made once per change, not once per reader), compressed once for the readers' browsers.
PRINT_PAGE_MAX_BYTES = 64 * 1024 * 1024


@require_safe
@cache_reader_page
def new(request):
    items = news.latest(request.LANGUAGE_CODE, news.PAGE_LIMIT)
    return render(request, "terms/new.html", {"days": news.by_day(items), "count": len(items)})


feed = cache_reader_page(require_safe(LatestChangesFeed()))


@require_safe
@cache_reader_page(max_bytes=PRINT_PAGE_MAX_BYTES, compress=True)
def print_glossary(request):
    whole = paper.whole_glossary(request.LANGUAGE_CODE)
    context = {"paper": whole, "address": printed_address()}
    return render(request, "terms/print.html", context)


@require_safe
@cache_reader_page
def print_edition_css(request):
    """The running footer of every printed sheet: where the glossary is and which edition.
    A stylesheet, not an inline style: reader pages allow none (terms/middleware.py), and
    page margins can only be written in CSS."""
    edition = formats.date_format(paper.edition_time(), "DATE_FORMAT")
    left = f"{gettext('Sales glossary')} · {printed_address()}"
    right = gettext("Edition of %(date)s") % {"date": edition}
    page = gettext("page")
    css = (
        "@page {\n"
        f"  @bottom-left {{ content: {css_string(left)}; }}\n"
        f"  @bottom-right {{ content: {css_string(right + ' · ' + page + ' ')} counter(page)"
        ' " / " counter(pages); }\n'
        "}\n"
    )
    return HttpResponse(css, content_type="text/css; charset=utf-8")


def printed_address():
    """The printed glossary's address, from GLOSSARY_BASE_URL (never from a request's Host)."""
    return settings.GLOSSARY_BASE_URL.rstrip("/") + reverse("terms:print")


def css_string(text):
    """`text` as a CSS string: quotes, backslashes and line ends escaped, so a title set by
    an administrator can never close the string."""
    escaped = "".join(
        f"\\{ord(character):x} " if character in '"\\\n\r\f<>' else character for character in text
    )
    return f'"{escaped}"'
