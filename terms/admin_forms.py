"""The editors' forms: the concept form, every content language side by side, read and
saved as one record; the domain form, a name per content language.

One block per content language, always in `settings.LANGUAGES` order; a language
left empty is simply not saved. The slug may be left empty: it is derived from the
default language's term, as an import derives it. The form remembers which version of
the concept the editor started from, so a save on top of someone else's change is
refused with what they changed, rather than overwriting it.
"""

from django import forms
from django.conf import settings
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from terms import history, text
from terms.languages import content_languages, default_language
from terms.models import Concept, Domain, Status
from terms.records import STORED_PARTS, ConceptRecord, Content, load_records

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
    "unlinked": _("Not linked automatically"),
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


def editor_language():
    """The content language the editor's admin speaks, else the default one."""
    language = get_language()
    return language if language in content_languages() else default_language()


def domain_label(domain):
    """A domain as the editor reads it: its name in the admin's language (the fallback
    rule), else its slug."""
    return domain.name(editor_language())


def domain_names(slugs):
    """{slug: name in the editor's language} of the domains among `slugs`, in one query."""
    slugs = set(slugs)
    if not slugs:
        return {}
    return {domain.slug: domain_label(domain) for domain in Domain.objects.filter(slug__in=slugs)}


def field_text(name, value, names=None):
    """A record field's value as editors read it: status names, lists joined with commas,
    domains by their names (`names`: {slug: name}; a domain deleted since, by its slug)."""
    if name == "status":
        return Status(value).label if value in Status.values else value
    if name == "domains":
        return ", ".join((names or {}).get(slug, slug) for slug in text.split_values(value))
    return (
        ", ".join(text.split_values(value))
        if name.startswith(("acronyms_", "variants_", "deprecated_"))
        else value
    )


def changed_domains(changes):
    """The slugs of the domains record changes [(field, before, after)] mention."""
    return {
        slug
        for name, before, after in changes
        if name == "domains"
        for slug in (*text.split_values(before), *text.split_values(after))
    }


def readable_changes(changes, names=None):
    """[(label, before, after)] of record changes [(field, before, after)], as an editor
    reads them. `names` of the domains they mention ({slug: name}), else one query."""
    if names is None:
        names = domain_names(changed_domains(changes))
    return [
        (field_label(name), field_text(name, before, names), field_text(name, after, names))
        for name, before, after in changes
    ]


class ValueListField(forms.CharField):
    """Several values in one box, separated by ` | ` as in the spreadsheets."""

    def prepare_value(self, value):
        if isinstance(value, (list, tuple)):
            return text.join_values(value)
        return value

    def to_python(self, value):
        return text.split_values(super().to_python(value))


def language_fields(code):
    return [f"{part}_{code}" for part in STORED_PARTS]


class DomainsByName(ModelChoiceIterator):
    """The domains in the order of their names in the editor's language."""

    def __iter__(self):
        yield from sorted(super().__iter__(), key=lambda choice: text.sort_key(str(choice[1])))


class DomainBoxes(forms.CheckboxSelectMultiple):
    """Boxes to tick, side by side (admin-glossary.css), announced to screen readers as one
    group named like the field: Django's admin labels such a list with a bare <label>."""

    def __init__(self, group_name):
        super().__init__(attrs={"class": "domain-choices"})
        self.group_name = group_name

    def render(self, name, value, attrs=None, renderer=None):
        boxes = super().render(name, value, attrs, renderer)  # safe: Django's own HTML
        group = format_html('<div role="group" aria-label="{}"', self.group_name)
        return mark_safe(boxes.replace("<div", group, 1))


class DomainsField(forms.ModelMultipleChoiceField):
    """The concept's domains as boxes to tick (a glossary has a few of them), named in the
    editor's language, A to Z."""

    iterator = DomainsByName

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", DomainBoxes(kwargs.get("label", "")))
        super().__init__(queryset=Domain.objects.all(), **kwargs)

    def label_from_instance(self, domain):
        return domain_label(domain)


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
        fields[f"unlinked_{code}"] = ValueListField(
            label=PART_LABELS["unlinked"],
            required=False,
            help_text=_(
                "Of this language's term, acronyms and variants, those that definitions must "
                "not link to this concept by themselves (an ordinary word such as "
                "“découverte”); separate several with |."
            ),
        )
    return fields


class ConceptFormBase(forms.ModelForm):
    domains = DomainsField(
        label=FIELD_LABELS["domains"],
        required=False,
        help_text=_(
            "Tick every domain the concept belongs to; domains are added and renamed under Domains."
        ),
    )
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
                for part in STORED_PARTS:
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
        for code in content_languages():
            self._check_unlinked(cleaned, code)
        slug = cleaned.get("slug") or text.slug_for(cleaned.get(f"term_{default}") or "")
        cleaned["slug"] = slug
        if slug:
            self._check_slug(slug)
        if self.instance.pk:
            self._check_version(cleaned.get("version") or "")
        return cleaned

    def _check_unlinked(self, cleaned, code):
        """A wording not to link must be one of the language's names: anything else is a
        typo the editor would never see take effect."""
        names = {
            text.fold(name)
            for name in [
                cleaned.get(f"term_{code}") or "",
                *(cleaned.get(f"acronyms_{code}") or ()),
                *(cleaned.get(f"variants_{code}") or ()),
            ]
            if name
        }
        strangers = [w for w in cleaned.get(f"unlinked_{code}") or () if text.fold(w) not in names]
        if strangers:
            self.add_error(
                f"unlinked_{code}",
                _("%(wordings)s: neither the term, an acronym nor a variant in %(language)s.")
                % {
                    "wordings": ", ".join(
                        _("“%(wording)s”") % {"wording": wording} for wording in strangers
                    ),
                    "language": language_name(code),
                },
            )

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
            % {"field": label, "old": old or "—", "new": new or "—"}
            for label, old, new in readable_changes(changes)
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
                    unlinked=tuple(data.get(f"unlinked_{code}") or ()),
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


class DomainFormBase(forms.ModelForm):
    """A domain: its slug, and its name in each content language (fields `name_fr`…)."""

    class Meta:
        model = Domain
        fields = ["slug"]
        labels = {"slug": FIELD_LABELS["slug"]}
        help_texts = {
            "slug": _(
                "The domain's address in URLs and in the spreadsheets' domains column. Leave "
                "it empty to derive it from the French name; change it with care: files "
                "exported before name the old one."
            )
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        for code in content_languages():
            self.initial.setdefault(f"name_{code}", self.instance.names.get(code, ""))

    def clean(self):
        cleaned = super().clean()
        default = default_language()
        # Uniqueness is checked here, with a message that names the other domain.
        self._validate_unique = False
        slug = cleaned.get("slug") or text.slug_for(cleaned.get(f"name_{default}") or "")
        cleaned["slug"] = slug
        other = Domain.objects.filter(slug=slug).exclude(pk=self.instance.pk).first()
        if slug and other is not None:
            self.add_error(
                "slug",
                _("The identifier “%(slug)s” is already used by the domain “%(name)s”.")
                % {"slug": slug, "name": domain_label(other)},
            )
        return cleaned

    def clean_slug(self):
        return (self.cleaned_data.get("slug") or "").strip()

    def save(self, commit=True):
        self.instance.names = {
            code: name
            for code in content_languages()
            if (name := " ".join((self.cleaned_data.get(f"name_{code}") or "").split()))
        }
        return super().save(commit)


def name_label(code):
    """A domain's name field as editors read it: "Nom (anglais)"."""
    return _("Name (%(language)s)") % {"language": language_name(code)}


def name_required(code):
    return _("Every domain needs a name in %(language)s.") % {"language": language_name(code)}


def domain_name_fields():
    return [f"name_{code}" for code in content_languages()]


# A name field per content language, made from the settings once.
DomainForm = type(DomainFormBase)(
    "DomainForm",
    (DomainFormBase,),
    {
        "__module__": __name__,
        **{
            f"name_{code}": forms.CharField(
                label=lazy(name_label, str)(code),
                required=code == default_language(),
                max_length=100,
                widget=forms.TextInput(attrs={"class": "vTextField"}),
                error_messages={"required": lazy(name_required, str)(code)},
            )
            for code in content_languages()
        },
    },
)
