"""Domains in the editors' admin: the domain list and form, the concept list's domain
filter, and the actions that add the selected concepts to a domain or take them out.

A domain's name is not part of any concept's record, so a domain is saved here, with one
bump of the cache generation (reader pages name the domains). Which concepts belong to
a domain is part of their records: adding, removing and deleting go through the writer,
so each concept changed gets a version in its history and its derived data follows.
"""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db import transaction
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from terms import text, writer
from terms.admin_forms import DomainForm, domain_label, domain_name_fields, name_label
from terms.languages import content_languages
from terms.models import Domain, GlossaryState

# The concept list's filter value for concepts in no domain: a tilde, which no domain slug
# may hold, so it never names a domain.
NO_DOMAIN = "~none"
# The action's page lists this many of the selected concepts, then says how many more.
MAX_LISTED = 50


class DomainFilter(admin.SimpleListFilter):
    """The concept list's "By domain": each domain by its name, and "No domain"."""

    title = _("domain")
    parameter_name = "domain"

    def lookups(self, request, model_admin):
        domains = sorted(
            ((domain.slug, domain_label(domain)) for domain in Domain.objects.all()),
            key=lambda choice: text.sort_key(choice[1]),
        )
        return [(NO_DOMAIN, _("No domain")), *domains]

    def queryset(self, request, queryset):
        if self.value() == NO_DOMAIN:
            return queryset.filter(domains=None)
        if self.value():
            return queryset.filter(domains__slug=self.value())
        return queryset


def concepts_in(domain):
    """The concept list, filtered to one domain (or NO_DOMAIN)."""
    return reverse("admin:terms_concept_changelist") + "?" + urlencode({"domain": domain})


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    form = DomainForm
    search_fields = ["slug"]  # and the names, accent-insensitive: get_search_results
    ordering = ["slug"]
    list_per_page = 100

    def get_fieldsets(self, request, obj=None):
        return [(None, {"fields": [*domain_name_fields(), "slug"]})]

    def get_list_display(self, request):
        return ["slug", *[f"name_{code}" for code in content_languages()], "concept_count"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(concept_count=Count("concepts"))

    @admin.display(description=_("concepts"), ordering="concept_count")
    def concept_count(self, domain):
        """How many concepts it holds, linked to the concept list showing them."""
        return format_html('<a href="{}">{}</a>', concepts_in(domain.slug), domain.concept_count)

    def get_search_results(self, request, queryset, search_term):
        # A glossary has a few dozen domains at most: match their slugs and names folded,
        # so "role" finds "Rôles et équipes".
        folded = text.fold(search_term)
        if not folded:
            return queryset, False
        matching = [
            domain.pk
            for domain in queryset
            if folded in text.fold(" ".join([domain.slug, *domain.names.values()]))
        ]
        return queryset.filter(pk__in=matching), False

    def changelist_view(self, request, extra_context=None):
        context = {"title": capfirst(self.opts.verbose_name_plural), **(extra_context or {})}
        return super().changelist_view(request, context)

    # -- writes ------------------------------------------------------------------------

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            obj.save()
            GlossaryState.bump()  # reader pages name the domains

    def get_deleted_objects(self, objs, request):
        """What a deletion takes away, as editors know it: the domain. Its concepts stay
        and only leave it."""
        domains = Domain.objects.filter(pk__in=[obj.pk for obj in objs]).annotate(
            concept_count=Count("concepts")
        )
        listed = [
            format_html(
                _("Domain: {name} — its concepts ({count}) leave it and stay in the glossary"),
                name=domain_label(domain),
                count=domain.concept_count,
            )
            for domain in domains
        ]
        return listed, {self.opts.verbose_name_plural: len(listed)}, set(), []

    def delete_model(self, request, obj):
        self._delete(request, [obj])

    def delete_queryset(self, request, queryset):
        self._delete(request, list(queryset))

    def _delete(self, request, domains):
        """Take the concepts out of the domains through the writer (each concept's history
        records it, reason naming the domain), then delete the domains."""
        with transaction.atomic():
            for domain in domains:
                writer.set_domains(
                    list(domain.concepts.values_list("pk", flat=True)),
                    remove=[domain.slug],
                    user=request.user,
                    reason=f"deleted the domain {domain.slug}",
                )
            Domain.objects.filter(pk__in=[domain.pk for domain in domains]).delete()
            GlossaryState.bump()


# One list column per content language: name_fr, name_en…
def _name_column(code):
    def column(domain):
        return domain.names.get(code, "")

    column.short_description = lazy(name_label, str)(code)
    return column


for _code in content_languages():
    setattr(DomainAdmin, f"name_{_code}", staticmethod(_name_column(_code)))


# -- the concept list's actions ------------------------------------------------------


class DomainActions:
    """The concept list's "Add to the domain…" and "Remove from the domain…": a page names
    the selected concepts and asks which domain, then the writer changes them."""

    @admin.action(description=_("Add to the domain…"), permissions=["change"])
    def add_to_domain(self, request, queryset):
        return self._domain_action(request, queryset, adding=True)

    @admin.action(description=_("Remove from the domain…"), permissions=["change"])
    def remove_from_domain(self, request, queryset):
        return self._domain_action(request, queryset, adding=False)

    def _domain_action(self, request, queryset, *, adding):
        # Removing offers only the domains some selected concept is in.
        offered = Domain.objects.all() if adding else Domain.objects.filter(concepts__in=queryset)
        domains = sorted(offered.distinct(), key=lambda domain: text.sort_key(domain_label(domain)))
        chosen = next((d for d in domains if d.slug == request.POST.get("domain")), None)
        if chosen is not None and "apply" in request.POST:
            return self._apply(request, queryset, chosen, adding=adding)
        concepts = queryset.prefetch_related("texts", "domains")[:MAX_LISTED]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Add to a domain") if adding else _("Remove from a domain"),
            "adding": adding,
            "domains": [(domain, domain_label(domain)) for domain in domains],
            "concepts": [
                (concept, sorted(domain_label(domain) for domain in concept.domains.all()))
                for concept in concepts
            ],
            "count": queryset.count(),
            "action": request.POST.get("action", ""),
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "missing_choice": "apply" in request.POST and chosen is None,
        }
        return TemplateResponse(request, "admin/terms/concept/domain_action.html", context)

    def _apply(self, request, queryset, domain, *, adding):
        ids = list(queryset.values_list("pk", flat=True))
        name = domain_label(domain)
        try:
            if adding:
                count = writer.set_domains(
                    ids,
                    add=[domain.slug],
                    user=request.user,
                    reason=f"added to the domain {domain.slug} in the admin",
                )
            else:
                count = writer.set_domains(
                    ids,
                    remove=[domain.slug],
                    user=request.user,
                    reason=f"removed from the domain {domain.slug} in the admin",
                )
        except writer.WriteRefused as refusal:
            for problem in refusal.problems:
                self.message_user(request, problem, messages.ERROR)
            return None
        message = (
            ngettext(
                "%(count)d concept added to the domain “%(domain)s”.",
                "%(count)d concepts added to the domain “%(domain)s”.",
                count,
            )
            if adding
            else ngettext(
                "%(count)d concept removed from the domain “%(domain)s”.",
                "%(count)d concepts removed from the domain “%(domain)s”.",
                count,
            )
        ) % {"count": count, "domain": name}
        unchanged = len(ids) - count
        if unchanged:
            message += " " + (
                ngettext(
                    "%(count)d was in it already.",
                    "%(count)d were in it already.",
                    unchanged,
                )
                if adding
                else ngettext(
                    "%(count)d was not in it.",
                    "%(count)d were not in it.",
                    unchanged,
                )
            ) % {"count": unchanged}
        self.message_user(request, message, messages.SUCCESS)
        return None
