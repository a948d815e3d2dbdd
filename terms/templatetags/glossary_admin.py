"""Template helpers of the editors' admin; HTML only through format_html."""

from django import template
from django.utils.html import format_html, format_html_join

from terms.text import word_diff

register = template.Library()

MARKUP = {"same": "{}", "removed": "<del>{}</del>", "added": "<ins>{}</ins>"}


@register.simple_tag
def diff(old, new):
    """`old` → `new` with removed words struck through and added ones underlined."""
    return format_html_join(
        "", "{}", ((format_html(MARKUP[kind], piece),) for piece, kind in word_diff(old, new))
    )
