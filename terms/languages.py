"""The content languages, and the one rule for what to show when a language lacks something.

The glossary's content languages are `settings.LANGUAGES`, the default one
first. When a concept has no term (or definition, acronyms, variants) in the
page's language, every face of the glossary — the pages, search results, the
API, TBX and SKOS — shows the same thing: that part in the first language of
`fallback_order(language)` that has it. Nothing else here touches Django but
the settings, so the rule is testable without a database.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def content_languages():
    """Codes of the content languages, default language first."""
    return [code for code, _name in settings.LANGUAGES]


def default_language():
    return content_languages()[0]


def validate_language(code):
    if code not in content_languages():
        raise ValidationError(
            _("Unknown language %(code)s: expected one of %(languages)s."),
            params={"code": code, "languages": ", ".join(content_languages())},
        )


def fallback_order(language):
    """`language`, then every other content language in settings order."""
    return [language, *(code for code in content_languages() if code != language)]


def first_present(value_of, language):
    """(value, its language) for the first language of `fallback_order(language)` whose
    `value_of(code)` is not empty; ("", language) when none has one.

    `value_of` takes a language code and returns that language's part (a term, a
    definition, a list of acronyms…), empty when the concept lacks it.
    """
    for code in fallback_order(language):
        value = value_of(code)
        if value:
            return value, code
    return "", language
