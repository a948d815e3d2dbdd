"""The editors' concept form: every content language side by side, read and saved as one
record.

One block per content language, always in `settings.LANGUAGES` order; a language
left empty is simply not saved. The slug may be left empty: it is derived from the
default language's term, as an import derives it. The form remembers which version of
the concept the editor started from, so a save on top of someone else's change is
refused with what they changed, rather than overwriting it.
"""

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from terms import history, text
from terms.languages import content_languages, default_language
from terms.models import Concept, Status
from terms.records import PARTS, ConceptRecord, Content, load_records

# A language's name inside a label, as French writes it in the middle of a phrase.
LANGUAGE_IN_LABEL = {
    "fr": pgettext_lazy("language inside a label", "French"),
    "en": pgettext_lazy("language inside a label", "English"),
}
PART_LABELS = {
    "term": _("Term"),
    "acronyms": _("Acronyms"),
    "variants": _("Variants"),
    "deprecated": _("To avoid"),
    "definition": _("Definition"),
    "note": _("Note"),
    "source": _("Source"),
}
FIELD_LABELS = {
    "slug": _("Identifier"),
    "status": _("Status"),
    "domains": _("Domains"),
    "see_also": _("See also"),
    "updated_at": _("Last updated"),  # the version an export was made from
}


def language_name(code):
    return LANGUAGE_IN_LABEL.get(code) or dict(settings.LANGUAGES).get(code, code)


def field_label(name):
    """A record field as editors read it: `definition_en` → "Définition (anglais)"."""
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    part, _sep, code = name.rpartition("_")
    if part in PART_LABELS:
        return _("%(part)s (%(language)s)") % {
            "part": PART_LABELS[part],
            "language": language_name(code),
        }
    return name


def field_text(name, value):
    """A record field's value as editors read it: status names, lists joined with commas."""
    if name == "status":
        return Status(value).label if value in Status.values else value
    return (
        ", ".join(text.split_values(value))
        if name.startswith(("acronyms_", "variants_"))
        else value
    )


class ValueListField(forms.CharField):
    """Several values in one box, separated by ` | ` as in the spreadsheets."""

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return text.join_values(value)
        return value

    def to_python(self, value):
        return text.split_values(super().to_python(value))


def language_fields(code):
    return [f"{part}_{code}" for part in PARTS]


def _language_form_fields():
    fields = {}
    for code in content_languages():
        fields[f"term_{code}"] = forms.CharField(
            label=PART_LABELS["term"],
            required=False,
            max_length=255,
            help_text=_("The preferred wording, as it should be shown."),
        )
        fields[f"acronyms_{code}"] = ValueListField(
            label=PART_LABELS["acronyms"],
            required=False,
            help_text=_("Separate several with |, e.g. PME | PMI."),
        )
        fields[f"variants_{code}"] = ValueListField(
            label=PART_LABELS["variants"],
            required=False,
            help_text=_("Other wordings that lead to this concept; separate several with |."),
        )
        fields[f"deprecated_{code}"] = ValueListField(
            label=PART_LABELS["deprecated"],
            required=False,
            help_text=_(
                "Wordings that must not be used: they lead to this concept, shown as to be "
                "avoided; separate several with |."
            ),
        )
        fields[f"definition_{code}"] = forms.CharField(
            label=PART_LABELS["definition"],
            required=False,
            widget=forms.Textarea(attrs={"rows": 8}),
            help_text=_("Plain text. Separate paragraphs with a blank line."),
        )
        fields[f"note_{code}"] = forms.CharField(
            label=PART_LABELS["note"],
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("How to use the term, or an example. Plain text."),
        )
        fields[f"source_{code}"] = forms.CharField(
            label=PART_LABELS["source"],
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Where the definition comes from: a text, or an address (https://…)."),
        )
    return fields


class ConceptFormBase(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Why this change"),
        required=False,
        max_length=100,
        help_text=_("Optional: shown in the concept's history, e.g. “2025 sales playbook”."),
    )
    # The concept's "last updated" when the editor opened the form.
    version = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Concept
        fields = ["slug", "status", "domains", "see_also"]
        labels = {
            "slug": FIELD_LABELS["slug"],
            "status": FIELD_LABELS["status"],
            "domains": FIELD_LABELS["domains"],
        }
        help_texts = {
            "slug": _(
                "The concept's address in URLs and spreadsheets. Leave it empty to derive it "
                "from the French term; change it with care."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        if self.instance.pk:
            record = load_records([self.instance.pk]).get(self.instance.pk)
            for code in content_languages():
                content = record.content(code) if record else Content()
                for part in PARTS:
                    self.initial.setdefault(f"{part}_{code}", getattr(content, part))
            self.initial["version"] = self.instance.updated_at.isoformat()
        else:
            self.initial.setdefault("status", Status.PUBLISHED)

    def clean(self):
        cleaned = super().clean()
        # Uniqueness is checked below, with a message that names the other concept.
        self._validate_unique = False
        default = default_language()
        if not cleaned.get(f"term_{default}"):
            self.add_error(
                f"term_{default}",
                _("Every concept needs a term in %(language)s.")
                % {"language": language_name(default)},
            )
        slug = cleaned.get("slug") or text.slug_for(cleaned.get(f"term_{default}") or "")
        cleaned["slug"] = slug
        if slug:
            self._check_slug(slug)
        if self.instance.pk:
            self._check_version(cleaned.get("version") or "")
        return cleaned

    def clean_slug(self):
        return (self.cleaned_data.get("slug") or "").strip()

    def _check_slug(self, slug):
        other = Concept.objects.filter(slug=slug).exclude(pk=self.instance.pk).first()
        if other is not None:
            self.add_error(
                "slug",
                format_html(
                    _("The identifier “{slug}” is already used by “{term}”: choose another."),
                    slug=slug,
                    term=str(other),
                ),
            )

    def _check_version(self, version):
        """Refuse a save made on top of a change the editor has not seen, saying what it
        was; the editor's own text stays in the form, and saving again replaces it."""
        current = Concept.objects.filter(pk=self.instance.pk).values_list("updated_at", flat=True)
        now = current[0] if current else None
        if now is None or now.isoformat() == version:
            return
        who, when, changes = history.changes_since(self.instance.pk, version)
        described = "; ".join(
            _("%(field)s: %(old)s → %(new)s")
            % {
                "field": field_label(name),
                "old": field_text(name, old) or "—",
                "new": field_text(name, new) or "—",
            }
            for name, old, new in changes
        )
        self.data = self.data.copy()
        self.data["version"] = now.isoformat()  # saving again, knowingly, goes through
        raise forms.ValidationError(
            _(
                "%(who)s changed this concept on %(when)s while you were editing it "
                "(%(changes)s). Your text is kept below and nothing was saved: save again to "
                "replace their changes with yours, or reload the page to start from theirs."
            )
            % {
                "who": who or _("someone"),
                "when": date_format(timezone.localtime(when), "DATETIME_FORMAT") if when else "?",
                "changes": described or _("no visible difference"),
            },
            code="changed_meanwhile",
        )

    def record(self):
        """The concept as the editor leaves it: a complete record for the writer."""
        data = self.cleaned_data
        return ConceptRecord(
            slug=data["slug"],
            status=data["status"],
            contents={
                code: Content(
                    term=text.clean_term(data.get(f"term_{code}") or ""),
                    acronyms=tuple(data.get(f"acronyms_{code}") or ()),
                    variants=tuple(data.get(f"variants_{code}") or ()),
                    deprecated=tuple(data.get(f"deprecated_{code}") or ()),
                    definition=text.clean_definition(data.get(f"definition_{code}") or ""),
                    note=text.clean_definition(data.get(f"note_{code}") or ""),
                    source=text.clean_definition(data.get(f"source_{code}") or ""),
                )
                for code in content_languages()
            },
            see_also=tuple(sorted(concept.slug for concept in data.get("see_also") or ())),
            domains=tuple(sorted(domain.slug for domain in data.get("domains") or ())),
        )


# The language fields are made from the settings' content languages, once.
ConceptForm = type(ConceptFormBase)(
    "ConceptForm", (ConceptFormBase,), {"__module__": __name__, **_language_form_fields()}
)
