"""The editors' admin: concepts with every language side by side, history, progress.

Every change made here goes through the writer (terms/writer.py): the form's save,
the publish and unpublish actions, delete and restore. Import and export are in
terms/admin_files.py.
"""

import re

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from terms import (
    admin_suggestions,  # noqa: F401  (registers the suggestions' admin)
    history,
    text,
    writer,
)
from terms.admin_domains import NO_DOMAIN, DomainActions, DomainFilter
from terms.admin_files import GlossaryImportExportAdmin
from terms.admin_forms import (
    ConceptForm,
    changed_domains,
    domain_names,
    field_label,
    language_fields,
    language_name,
    readable_changes,
)
from terms.languages import content_languages
from terms.models import Concept, ConceptText, IndexEntry, Status
from terms.records import PARTS

# The admin's name, in its header and in the browser's tab.
admin.site.site_header = _("Glossary — administration")
admin.site.site_title = _("Glossary — administration")
admin.site.index_title = _("Glossary administration")
# One app of one model: a navigation sidebar would only take the concept list's width.
admin.site.enable_nav_sidebar = False


class MissingContentFilter(admin.SimpleListFilter):
    """Concepts missing a part of one language's content, for translators."""

    missing = ""  # the ConceptQuerySet method that selects them
    label = ""

    def lookups(self, request, model_admin):
        return [
            (code, self.label % {"language": language_name(code)}) for code in content_languages()
        ]

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
class ConceptAdmin(DomainActions, SimpleHistoryAdmin, GlossaryImportExportAdmin):
    form = ConceptForm
    list_display = ["slug", "status", "updated_at"]
    list_filter = ["status", DomainFilter, MissingTranslationFilter, MissingDefinitionFilter]
    # Import/export wraps this template, which adds the history and progress links.
    change_list_template = "admin/terms/concept/change_list_base.html"
    search_fields = ["slug", "texts__term", "index_entries__folded"]
    autocomplete_fields = ["see_also"]
    readonly_fields = ["created_at", "updated_at"]
    actions = ["publish", "unpublish", "add_to_domain", "remove_from_domain"]
    list_per_page = 50

    def get_list_display(self, request):
        columns = ["slug"]
        for code in content_languages():
            columns += [f"term_{code}", f"acronyms_{code}"]
        return [*columns, "status", "updated"]

    @admin.display(description=_("last updated"), ordering="updated_at")
    def updated(self, concept):
        """The date and time in short, so the column stays narrow."""
        return date_format(timezone.localtime(concept.updated_at), "SHORT_DATETIME_FORMAT")

    def changelist_view(self, request, extra_context=None):
        # "Concepts", rather than Django's "Select concept to change".
        context = {"title": capfirst(self.opts.verbose_name_plural), **(extra_context or {})}
        return super().changelist_view(request, context)

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

    def history_view(self, request, object_id, extra_context=None):
        """Who changed what, when and why: one line per version, newest first."""
        concept = self.get_object(request, unquote(object_id))
        if concept is None:
            raise Http404
        if not self.has_view_or_change_permission(request, concept):
            raise PermissionDenied
        versions = history.versions(concept.pk)
        # The names of every domain the page mentions, in one query.
        names = domain_names(
            {
                *(slug for entry in versions for slug in changed_domains(entry.changes)),
                *(reason_domain(entry.history.history_change_reason) for entry in versions),
            }
            - {None}
        )
        entries = [
            {
                "entry": entry,
                "reason": reason_text(entry.history.history_change_reason, names),
                "changes": readable_changes(entry.changes, names),
            }
            for entry in versions
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "object": concept,
            "title": _("History of “%(concept)s”") % {"concept": concept},
            "entries": entries,
        }
        return TemplateResponse(request, "admin/terms/concept/history.html", context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # The history list links here: show the version and its differences, offer restore.
        return redirect("admin:terms_concept_version", history_id=version_id)

    def progress_view(self, request):
        """Per language: how many published concepts have a term and a definition; and
        how many are in no domain, for readers browsing by domain."""
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
        missing_domain = published.filter(domains=None).count()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Translation progress"),
            "total": total,
            "rows": rows,
            "with_domain": total - missing_domain,
            "missing_domain": missing_domain,
            "no_domain": NO_DOMAIN,
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
        version = history.version_of(record)
        restorable = bool(version.concept.content(content_languages()[0]).term) and bool(
            version.changes
        )
        if request.method == "POST" and restorable:
            try:
                concept_id = writer.restore(record, user=request.user)
            except writer.WriteRefused as refusal:
                for problem in refusal.problems:
                    messages.error(request, problem)
            else:
                messages.success(request, _("The concept was restored."))
                return redirect("admin:terms_concept_change", concept_id)
        current = Concept.objects.filter(pk=record.id).first()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Version of %(date)s")
            % {"date": date_format(timezone.localtime(record.history_date), "DATETIME_FORMAT")},
            "version": version,
            "changes": readable_changes(version.changes),
            "reason": reason_text(
                record.history_change_reason,
                domain_names({reason_domain(record.history_change_reason)} - {None}),
            ),
            "record": record,
            "restorable": restorable,
            "current": current,
        }
        return TemplateResponse(request, "admin/terms/concept/version.html", context)

    def get_fieldsets(self, request, obj=None):
        """The concept, then one block per content language (side by side on a wide
        screen: admin/terms/concept/change_form.html), its links, and this change's why."""
        return [
            (None, {"fields": ["slug", "status", "domains"]}),
            *[
                (
                    capfirst(language_name(code)),
                    {"fields": language_fields(code), "classes": ["language", f"language-{code}"]},
                )
                for code in content_languages()
            ],
            (_("Links"), {"fields": ["see_also"]}),
            (_("This change"), {"fields": ["change_reason", "version"]}),
            *([(_("Dates"), {"fields": ["created_at", "updated_at"]})] if obj else []),
        ]

    # -- writes: every one through the writer ------------------------------------------

    def save_model(self, request, obj, form, change):
        record = form.record()
        obj.pk = writer.save_concept(
            record,
            concept_id=obj.pk if change else None,
            user=request.user,
            reason=form.cleaned_data.get("change_reason")
            or ("changed in the admin" if change else "added in the admin"),
            seen_version=form.cleaned_data.get("version") if change else None,
        )
        obj.refresh_from_db()
        self._warn_about_homonyms(request, obj, record)

    def save_related(self, request, form, formsets, change):
        """Nothing: the writer saved the links with the concept."""

    def _warn_about_homonyms(self, request, obj, record):
        """A wording that also names another concept is worth a look (homonyms exist, so
        it is saved all the same)."""
        wordings = {text.fold(name): name for name in record.names()}
        others = (
            IndexEntry.objects.filter(folded__in=list(wordings))
            .exclude(concept_id=obj.pk)
            .values_list("folded", "concept_id", "concept__slug")
            .distinct()
        )
        for folded, concept_id, slug in sorted(set(others))[:10]:
            messages.warning(
                request,
                format_html(
                    _('“{wording}” also names another concept: <a href="{url}">{slug}</a>.'),
                    wording=wordings[folded],
                    url=reverse("admin:terms_concept_change", args=[concept_id]),
                    slug=slug,
                ),
            )

    def get_deleted_objects(self, objs, request):
        """What a deletion takes away, as editors know it: each concept and its texts.

        The writer also removes what derives from them (index entries, search
        documents) and keeps their history, from which "Deleted concepts" restores
        them; none of that is the editor's to confirm. A language block left empty
        holds nothing to lose, so it is not listed.
        """
        languages = content_languages()
        listed, concept_count, text_count = [], 0, 0
        for concept in Concept.objects.filter(pk__in=[obj.pk for obj in objs]).prefetch_related(
            "texts"
        ):
            texts = sorted(
                (t for t in concept.texts.all() if any(getattr(t, part) for part in PARTS)),
                key=lambda t: (
                    languages.index(t.language) if t.language in languages else len(languages)
                ),
            )
            listed += [
                format_html(
                    _('Concept: <a href="{url}">{concept}</a>'),
                    url=reverse("admin:terms_concept_change", args=[concept.pk]),
                    concept=concept,
                ),
                [_deleted_text_line(content) for content in texts],
            ]
            concept_count += 1
            text_count += len(texts)
        counts = {self.opts.verbose_name_plural: concept_count, _("texts"): text_count}
        return listed, counts, set(), []

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


def _deleted_text_line(content):
    """One language's text in a delete confirmation: its term, else what it holds."""
    wording = (
        content.term
        or text.join_values([*content.acronyms, *content.variants])
        or Truncator(content.definition).words(12)
    )
    return _("Text in %(language)s: %(wording)s") % {
        "language": language_name(content.language),
        "wording": wording,
    }


# The reasons the glossary writes itself, stored in English, shown in the editor's language.
REASONS = {
    "added in the admin": _("added in the admin"),
    "changed in the admin": _("changed in the admin"),
    "published in the admin": _("published in the admin"),
    "unpublished in the admin": _("unpublished in the admin"),
    "deleted in the admin": _("deleted in the admin"),
}
REASON_PATTERNS = [
    (re.compile(r"import of (?P<file>.+)"), _("import of %(file)s")),
    (
        re.compile(r"added to the domain (?P<domain>\S+) in the admin"),
        _("added to the domain %(domain)s in the admin"),
    ),
    (
        re.compile(r"removed from the domain (?P<domain>\S+) in the admin"),
        _("removed from the domain %(domain)s in the admin"),
    ),
    (re.compile(r"deleted the domain (?P<domain>\S+)"), _("deletion of the domain %(domain)s")),
    (re.compile(r"restored the version of (?P<date>.+)"), _("restored the version of %(date)s")),
    (
        re.compile(r"accepted the suggestion (?P<number>\d+)"),
        _("accepted suggestion no. %(number)s"),
    ),
]


def reason_text(reason, names=None):
    """A stored change reason in the editor's language; an editor's own words as written.
    A domain it names by its slug is shown by its name (`names`: {slug: name}), if it
    still has one."""
    if not reason:
        return ""
    if reason in REASONS:
        return REASONS[reason]
    for pattern, sentence in REASON_PATTERNS:
        match = pattern.fullmatch(reason)
        if match:
            values = match.groupdict()
            if "domain" in values:
                values["domain"] = (names or {}).get(values["domain"], values["domain"])
            return sentence % values
    return reason


def reason_domain(reason):
    """The slug of the domain a stored reason names, else None."""
    for pattern, _sentence in REASON_PATTERNS:
        match = pattern.fullmatch(reason or "")
        if match and "domain" in match.groupdict():
            return match["domain"]
    return None


# How a status change is recorded in the history.
STATUS_REASONS = {
    Status.PUBLISHED: "published in the admin",
    Status.DRAFT: "unpublished in the admin",
}


def _language_column(part, code):
    def column(concept):
        content = next((t for t in concept.texts.all() if t.language == code), None)
        if content is None:
            return ""
        return content.term if part == "term" else text.join_values(content.acronyms)

    column.short_description = lazy(field_label, str)(f"{part}_{code}")
    return column


# One changelist column per content language and part: term_fr, acronyms_fr, term_en…
for _code in content_languages():
    for _part in ("term", "acronyms"):
        setattr(ConceptAdmin, f"{_part}_{_code}", staticmethod(_language_column(_part, _code)))
