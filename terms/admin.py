"""The editors' admin: concepts with each language's content inline, import and export."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats import base_formats
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from terms import history, text
from terms.interchange.formats import UnreadableFile, read_dataset, write_dataset
from terms.interchange.resource import ConceptResource
from terms.interchange.tbx import read_tbx, write_tbx
from terms.mentions import refresh_after_change, wordings_of
from terms.models import Concept, ConceptText, Status, content_languages


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
        present = obj.texts.count() if obj else 0
        return max(len(content_languages()) - present, 0)

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


class SniffingCSV(base_formats.CSV):
    """CSV in UTF-8 or Windows-1252, `;` or `,`, read through the glossary's own reader."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        return read_dataset(in_stream, "csv")

    def export_data(self, dataset, **kwargs):
        return write_dataset(dataset, "csv")


class SafeXLSX(base_formats.XLSX):
    def create_dataset(self, in_stream):
        return read_dataset(in_stream, "xlsx")

    def export_data(self, dataset, **kwargs):
        return write_dataset(dataset, "xlsx")


class LenientJSON(base_formats.JSON):
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream):
        return read_dataset(in_stream, "json")

    def export_data(self, dataset, **kwargs):
        return write_dataset(dataset, "json")


class CappedImportForm(ImportForm):
    """The import form, refusing files over GLOSSARY_MAX_UPLOAD_BYTES before reading them."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.GLOSSARY_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("This file is %(size)s; the largest accepted is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        return upload


class TBX(base_formats.Format):
    """TBX-Basic, for CAT tools: exports what the admin selects, imports v3 and v2 files."""

    def get_title(self):
        return "tbx"

    def create_dataset(self, in_stream):
        return read_tbx(in_stream)

    def export_data(self, dataset, **kwargs):
        return write_tbx(dataset, title=settings.GLOSSARY_TITLE)

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def get_extension(self):
        return "tbx"

    def get_content_type(self):
        return "application/x-tbx+xml"

    def can_import(self):
        return True

    def can_export(self):
        return True


@admin.register(Concept)
class ConceptAdmin(SimpleHistoryAdmin, ImportExportModelAdmin):
    resource_classes = [ConceptResource]
    formats = [SniffingCSV, SafeXLSX, LenientJSON, TBX]
    import_error_display = ("message",)
    import_form_class = CappedImportForm
    import_template_name = "admin/terms/concept/import.html"
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
                concept = history.restore(record, user=request.user)
            except history.RestoreError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The concept was restored."))
                return redirect("admin:terms_concept_change", concept.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Version of %(date)s") % {"date": record.history_date},
            "version": history.version_of(record),
            "record": record,
        }
        return TemplateResponse(request, "admin/terms/concept/version.html", context)

    def save_model(self, request, obj, form, change):
        obj.wordings_before_edit = (
            wordings_of(ConceptText.objects.filter(concept_id=obj.pk)) if obj.pk else set()
        )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        concept = form.instance
        concept.refresh_derived()
        wordings_now = wordings_of(ConceptText.objects.filter(concept=concept))
        refresh_after_change({concept.pk}, wordings_now ^ concept.wordings_before_edit)

    def delete_model(self, request, obj):
        self.delete_queryset(request, Concept.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        wordings = wordings_of(ConceptText.objects.filter(concept__in=queryset))
        super().delete_queryset(request, queryset)
        refresh_after_change(set(), wordings)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, UnreadableFile):
            form.add_error("import_file", str(error))
        else:
            super().add_data_read_fail_error_to_form(form, error)

    @admin.action(description=_("Publish the selected concepts"), permissions=["change"])
    def publish(self, request, queryset):
        self._set_status(request, queryset, Status.PUBLISHED)

    @admin.action(description=_("Make the selected concepts drafts"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_status(request, queryset, Status.DRAFT)

    def _set_status(self, request, queryset, status):
        concepts = list(queryset)
        for concept in concepts:
            concept.status = status
            concept.save(update_fields=["status", "updated_at"])
            concept.refresh_derived()
        self.message_user(request, _("%(count)d concept(s) updated.") % {"count": len(concepts)})


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
