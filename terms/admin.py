"""The editors' admin: concepts with each language's content inline, history, progress.

Every change made here goes through the writer (terms/writer.py): the form's save,
the publish and unpublish actions, delete and restore. Import and export are in
terms/admin_files.py.
"""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from terms import history, text, writer
from terms.admin_files import GlossaryImportExportAdmin
from terms.languages import content_languages
from terms.models import Concept, ConceptText, Status
from terms.records import ConceptRecord, Content


class ValueListField(forms.CharField):
    """Several values in one box, separated by ` | ` as in the spreadsheets."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return text.join_values(value)
        return value

    def to_python(self, value):
        return text.split_values(super().to_python(value))


class ConceptTextForm(forms.ModelForm):
    acronyms = ValueListField(
        label=_("acronyms"), required=False, help_text=_("Separate several with |, e.g. PME | PMI.")
    )
    variants = ValueListField(
        label=_("variants"), required=False, help_text=_("Separate several with |.")
    )

    class Meta:
        model = ConceptText
        fields = ["language", "term", "acronyms", "variants", "definition"]
        widgets = {
            "language": forms.Select(),
            "definition": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].widget.choices = [
            (code, name) for code, name in _language_choices()
        ]

    def clean_term(self):
        return text.clean_term(self.cleaned_data["term"])

    def clean_definition(self):
        return text.clean_definition(self.cleaned_data["definition"])


def _language_choices():
    return settings.LANGUAGES


class ConceptTextFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        default = content_languages()[0]
        has_default_term = any(
            form.cleaned_data.get("language") == default and form.cleaned_data.get("term")
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        )
        if not has_default_term:
            raise forms.ValidationError(
                _("Every concept needs a term in the default language (%(language)s).")
                % {"language": default}
            )


class ConceptTextInline(admin.StackedInline):
    model = ConceptText
    form = ConceptTextForm
    formset = ConceptTextFormSet
    extra = 0
    min_num = 1
    can_delete = True

    def get_extra(self, request, obj=None, **kwargs):
        # A formset shows max(texts, min_num) + extra forms: one per language in all.
        present = obj.texts.count() if obj else 0
        return max(len(content_languages()) - max(present, self.min_num), 0)

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        missing = [code for code in content_languages()]
        if obj is not None:
            present = set(obj.texts.values_list("language", flat=True))
            missing = [code for code in content_languages() if code not in present]

        class PrefilledFormSet(formset):
            def __init__(self, *args, **inner):
                inner.setdefault("initial", [{"language": code} for code in missing])
                super().__init__(*args, **inner)

        return PrefilledFormSet


class MissingContentFilter(admin.SimpleListFilter):
    """Concepts missing a part of one language's content, for translators."""

    missing = ""  # the ConceptQuerySet method that selects them
    label = ""

    def lookups(self, request, model_admin):
        return [(code, self.label % {"language": name}) for code, name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        if self.value() in content_languages():
            return getattr(queryset, self.missing)(self.value())
        return queryset


class MissingTranslationFilter(MissingContentFilter):
    title = _("missing translation")
    parameter_name = "missing"
    missing = "missing_translation"
    label = _("No term in %(language)s")


class MissingDefinitionFilter(MissingContentFilter):
    title = _("missing definition")
    parameter_name = "missing_definition"
    missing = "missing_definition"
    label = _("No definition in %(language)s")


@admin.register(Concept)
class ConceptAdmin(SimpleHistoryAdmin, GlossaryImportExportAdmin):
    inlines = [ConceptTextInline]
    list_display = ["slug", "status", "updated_at"]
    list_filter = ["status", MissingTranslationFilter, MissingDefinitionFilter]
    # Import/export wraps this template, which adds the history and progress links.
    change_list_template = "admin/terms/concept/change_list_base.html"
    search_fields = ["slug", "texts__term", "index_entries__folded"]
    autocomplete_fields = ["see_also"]
    readonly_fields = ["created_at", "updated_at"]
    fields = ["slug", "status", "see_also", "created_at", "updated_at"]
    actions = ["publish", "unpublish"]
    list_per_page = 50

    def get_list_display(self, request):
        columns = ["slug"]
        for code in content_languages():
            columns += [f"term_{code}", f"acronyms_{code}"]
        return [*columns, "status", "updated_at"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("texts", queryset=ConceptText.objects.order_by("language")))
        )

    def get_search_results(self, request, queryset, search_term):
        # Accent-insensitive: search the folded index wordings as well as the raw fields.
        folded = text.fold(search_term)
        queryset, _may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if folded and folded != search_term:
            extra = self.model.objects.filter(index_entries__folded__contains=folded)
            queryset = queryset | extra
        return queryset.distinct(), True

    def response_action(self, request, queryset):
        # Django's admin turns a selection that is not a list of ids (a forged or
        # truncated form) into a server error; say so and change nothing instead.
        selected = request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME)
        try:
            for value in selected:
                self.opts.pk.to_python(value)
        except ValidationError:
            self.message_user(
                request, _("The selection was not understood: nothing was changed."), messages.ERROR
            )
            return redirect(request.get_full_path())
        return super().response_action(request, queryset)

    # -- history -----------------------------------------------------------------

    def get_urls(self):
        urls = super().get_urls()
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "progress/",
                self.admin_site.admin_view(self.progress_view),
                name="{}_{}_progress".format(*info),
            ),
            path(
                "deleted/",
                self.admin_site.admin_view(self.deleted_view),
                name="{}_{}_deleted".format(*info),
            ),
            path(
                "history-version/<int:history_id>/",
                self.admin_site.admin_view(self.version_view),
                name="{}_{}_version".format(*info),
            ),
            *urls,
        ]

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The history list links here: show the version and its differences, offer restore.
        return redirect("admin:terms_concept_version", history_id=version_id)

    def progress_view(self, request):
        """Per language: how many published concepts have a term and a definition."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        published = Concept.objects.published()
        total = published.count()
        rows = []
        for code, name in settings.LANGUAGES:
            missing_terms = published.missing_translation(code).count()
            missing_definitions = published.missing_definition(code).count()
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "terms": total - missing_terms,
                    "definitions": total - missing_definitions,
                    "missing_terms": missing_terms,
                    "missing_definitions": missing_definitions,
                    "percent_terms": round(100 * (total - missing_terms) / total) if total else 100,
                    "percent_definitions": (
                        round(100 * (total - missing_definitions) / total) if total else 100
                    ),
                }
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Translation progress"),
            "total": total,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/terms/concept/progress.html", context)

    def deleted_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Deleted concepts"),
            "records": history.deleted_concepts(),
        }
        return TemplateResponse(request, "admin/terms/concept/deleted.html", context)

    def version_view(self, request, history_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        record = get_object_or_404(Concept.history.model, history_id=history_id)
        if request.method == "POST":
            try:
                concept_id = writer.restore(record, user=request.user)
            except writer.WriteRefused as refusal:
                for problem in refusal.problems:
                    messages.error(request, problem)
            else:
                messages.success(request, _("The concept was restored."))
                return redirect("admin:terms_concept_change", concept_id)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Version of %(date)s") % {"date": record.history_date},
            "version": history.version_of(record),
            "record": record,
        }
        return TemplateResponse(request, "admin/terms/concept/version.html", context)

    # -- writes: every one through the writer ------------------------------------------

    def save_model(self, request, obj, form, change):
        """Nothing yet: the concept is written with its texts, in `save_related`."""

    def save_related(self, request, form, formsets, change):
        concept = form.instance
        record = ConceptRecord(
            slug=form.cleaned_data["slug"],
            status=form.cleaned_data["status"],
            contents=_contents_from(formsets),
            see_also=tuple(sorted(c.slug for c in form.cleaned_data.get("see_also", []))),
        )
        concept.pk = writer.save_concept(
            record,
            concept_id=concept.pk,
            user=request.user,
            reason="changed in the admin" if change else "added in the admin",
        )

    def construct_change_message(self, request, form, formsets, add=False):
        # The formsets were not saved through Django: the form's changes say what changed.
        return super().construct_change_message(request, form, [], add)

    def delete_model(self, request, obj):
        writer.delete_concepts([obj.pk], user=request.user, reason="deleted in the admin")

    def delete_queryset(self, request, queryset):
        writer.delete_concepts(
            list(queryset.values_list("pk", flat=True)),
            user=request.user,
            reason="deleted in the admin",
        )

    @admin.action(description=_("Publish the selected concepts"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED)

    @admin.action(description=_("Make the selected concepts drafts"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT)

    def _set_status(self, request, queryset, status):
        try:
            count = writer.set_status(
                list(queryset.values_list("pk", flat=True)),
                status,
                user=request.user,
                reason=STATUS_REASONS[status],
            )
        except writer.WriteRefused as refusal:
            for problem in refusal.problems:
                self.message_user(request, problem, messages.ERROR)
            return
        self.message_user(request, _("%(count)d concept(s) updated.") % {"count": count})


# How a status change is recorded in the history.
STATUS_REASONS = {
    Status.PUBLISHED: "published in the admin",
    Status.DRAFT: "unpublished in the admin",
}


def _contents_from(formsets):
    """{language: Content} of the language forms an editor filled in and kept."""
    contents = {}
    for formset in formsets:
        for language_form in formset.forms:
            data = language_form.cleaned_data
            if not data or data.get("DELETE") or not data.get("language"):
                continue
            contents[data["language"]] = Content(
                term=data.get("term", ""),
                acronyms=tuple(data.get("acronyms") or ()),
                variants=tuple(data.get("variants") or ()),
                definition=data.get("definition", ""),
            )
    return contents


def _language_column(part, code):
    def column(concept):
        content = next((t for t in concept.texts.all() if t.language == code), None)
        if content is None:
            return ""
        return content.term if part == "term" else text.join_values(content.acronyms)

    column.short_description = f"{part} ({code})"
    return column


# One changelist column per content language and part: term_fr, acronyms_fr, term_en…
for _code in content_languages():
    for _part in ("term", "acronyms"):
        setattr(ConceptAdmin, f"{_part}_{_code}", staticmethod(_language_column(_part, _code)))
