"""Template filters: one-line wrappers over terms.text."""

from django import template

from terms import text

register = template.Library()


@register.filter
def paragraphs(definition):
    """A definition's paragraphs (autoescaping still applies to each)."""
    return text.paragraphs(definition)
