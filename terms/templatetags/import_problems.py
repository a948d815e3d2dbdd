"""The import preview's problems as sentences, numbered as the spreadsheet shows rows."""

from django import template

from terms.interchange.service import describe_problems

register = template.Library()


@register.simple_tag
def import_problems(result):
    """Every problem of `result`, "Row N, column C: reason" with the header as row 1 (the
    preview's own table counts data rows from 1 and shows reasons only on hover)."""
    return describe_problems(result)
