"""Template helpers of the editors' admin; HTML only through format_html."""

from django import template
from django.utils.html import format_html, format_html_join

from terms.text import word_diff

register = template.Library()

MARKUP = {"same": "{}", "removed": "<del>{}</del>", "added": "<ins>{}</ins>"}


@register.simple_tag
def diff(old, new):
    """`old` → `new` with removed words struck through and added ones underlined; a space
    keeps a replaced word and its replacement apart (`draft` → `published`)."""
    pieces = []
    previous = "same"
    for piece, kind in word_diff(old, new):
        if previous == "removed" and kind == "added":
            pieces.append(("same", " "))
        pieces.append((kind, piece))
        previous = kind
    return format_html_join(
        "", "{}", ((format_html(MARKUP[kind], piece),) for kind, piece in pieces)
    )
