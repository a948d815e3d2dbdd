"""Readers' suggestions in the editors' admin: a list to triage (new ones first), each
suggestion read-only as its reader wrote it, and two decisions.

- **Accept**: a suggested term becomes a draft concept, made through the writer (so it
  has a first version in its history, "accepted suggestion no. 12"), and the editor lands
  on its form to finish it. A reported mistake is about a concept that exists: accepting it
  opens that concept's form, where the mistake is corrected (and recorded in its history
  as every edit is); no second concept is made. A mistake whose concept was deleted since
  is taken as a suggested term.
- **Dismiss**, with a reason the editors keep (a page asks for it).

A visitor's words are only ever shown through Django's escaping (read-only fields, list
columns, `format_html`): `<script>` in a suggestion reads as text.
"""

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from terms import text, writer
from terms.languages import default_language
from terms.models import Concept, IndexEntry, Status, Suggestion
from terms.records import ConceptRecord, Content

NEW = Suggestion.Decision.NEW
# The dismiss page lists this many of the selected suggestions, then says how many more.
MAX_LISTED = 50


class LanguageFilter(admin.SimpleListFilter):
    """By the suggested term's language, named as the interface names it."""

    title = gettext_lazy("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return [(code, capfirst(name)) for code, name in settings.LANGUAGES]

    def queryset(self, request, queryset):
        return queryset.filter(language=self.value()) if self.value() else queryset


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = [
        "term",
        "kind",
        "language_name",
        "about",
        "excerpt",
        "sent_by",
        "created_at",
        "status",
    ]
    list_display_links = ["term"]
    list_filter = ["status", "kind", LanguageFilter]
    search_fields = ["term", "message", "name", "email"]
    list_per_page = 50
    actions = ["accept_selected", "dismiss_selected"]
    change_form_template = "admin/terms/suggestion/change_form.html"
    fieldsets = [
        (
            None,
            {"fields": ["kind", "term", "language_name", "message", "about", "already_named"]},
        ),
        (gettext_lazy("Sender"), {"fields": ["sent_by", "created_at"]}),
        (
            gettext_lazy("Decision"),
            {"fields": ["status", "dismissal_reason", "draft_link", "decided_by", "decided_at"]},
        ),
    ]
    # Nothing a reader wrote is editable: decisions are the actions'.
    readonly_fields = [
        "kind",
        "term",
        "language_name",
        "message",
        "about",
        "already_named",
        "sent_by",
        "created_at",
        "status",
        "dismissal_reason",
        "draft_link",
        "decided_by",
        "decided_at",
    ]

    def has_add_permission(self, request):
        return False  # readers send suggestions from the site

    def get_queryset(self, request):
        # Joined, so a concept the writer deleted (its id left here) reads as None.
        return (
            super()
            .get_queryset(request)
            .select_related("concept", "draft", "user", "decided_by")
            .prefetch_related("concept__texts")
        )

    def changelist_view(self, request, extra_context=None):
        context = {"title": capfirst(self.opts.verbose_name_plural), **(extra_context or {})}
        return super().changelist_view(request, context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Editors read a suggestion and decide; they do not change it.
        context = {"title": capfirst(self.opts.verbose_name), **(extra_context or {})}
        return super().change_view(request, object_id, form_url, context)

    def get_ordering(self, request):
        # What still needs a decision first, then the newest.
        return [
            Case(When(status=NEW, then=Value(0)), default=Value(1), output_field=IntegerField()),
            "-created_at",
        ]

    # -- columns and read-only fields ----------------------------------------------------

    @admin.display(description=gettext_lazy("about the concept"))
    def about(self, suggestion):
        concept = suggestion.concept
        if concept is None and suggestion.concept_id:
            return _("(deleted concept)")
        if concept is None:
            return self.get_empty_value_display()
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:terms_concept_change", args=[concept.pk]),
            concept.display_term(default_language()) or concept.slug,
        )

    @admin.display(description=gettext_lazy("language"), ordering="language")
    def language_name(self, suggestion):
        return capfirst(dict(settings.LANGUAGES).get(suggestion.language, suggestion.language))

    @admin.display(description=gettext_lazy("message"))
    def excerpt(self, suggestion):
        return Truncator(suggestion.message).chars(80)

    @admin.display(description=gettext_lazy("sent by"))
    def sent_by(self, suggestion):
        if suggestion.user is not None:
            return suggestion.user.get_username()
        email = f"<{suggestion.email}>" if suggestion.email else ""
        return " ".join(part for part in (suggestion.name, email) if part) or _("anonymous")

    @admin.display(description=gettext_lazy("already in the glossary"))
    def already_named(self, suggestion):
        """The concepts a suggested term already names (a term, acronym or variant), so an
        editor sees a duplicate before making one."""
        folded = text.fold(suggestion.term)
        concepts = (
            Concept.objects.filter(
                pk__in=IndexEntry.objects.filter(folded=folded).values("concept_id")
            ).prefetch_related("texts")[:10]
            if folded
            else []
        )
        if not concepts:
            return _("No concept has this wording.")
        return format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            (
                (
                    reverse("admin:terms_concept_change", args=[concept.pk]),
                    concept.display_term(default_language()) or concept.slug,
                )
                for concept in concepts
            ),
        )

    @admin.display(description=gettext_lazy("draft made from it"))
    def draft_link(self, suggestion):
        if suggestion.draft is None:
            return self.get_empty_value_display()
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:terms_concept_change", args=[suggestion.draft.pk]),
            suggestion.draft.slug,
        )

    # -- decisions -----------------------------------------------------------------------

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "<path:object_id>/accept/",
                self.admin_site.admin_view(self.accept_view),
                name="{}_{}_accept".format(*info),
            ),
            path(
                "<path:object_id>/dismiss/",
                self.admin_site.admin_view(self.dismiss_view),
                name="{}_{}_dismiss".format(*info),
            ),
            *super().get_urls(),
        ]

    def _decidable(self, request, object_id):
        if not self.has_change_permission(request):
            raise PermissionDenied
        suggestion = self.get_queryset(request).filter(pk=unquote(object_id)).first()
        if suggestion is None:
            raise Http404
        return suggestion

    def accept_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseRedirect(reverse("admin:terms_suggestion_change", args=[object_id]))
        suggestion = self._decidable(request, object_id)
        url = self._accept(request, suggestion)
        return HttpResponseRedirect(
            url or reverse("admin:terms_suggestion_change", args=[suggestion.pk])
        )

    def dismiss_view(self, request, object_id):
        suggestion = self._decidable(request, object_id)
        back = reverse("admin:terms_suggestion_change", args=[suggestion.pk])
        if suggestion.status != NEW:
            self.message_user(request, already_decided(suggestion), messages.WARNING)
            return HttpResponseRedirect(back)
        reason = text.clean_term(request.POST.get("reason", ""))
        if request.method == "POST" and reason:
            dismissed = dismiss([suggestion.pk], reason[: Suggestion.REASON_LENGTH], request.user)
            self._dismissed_message(request, dismissed)
            return HttpResponseRedirect(reverse("admin:terms_suggestion_changelist"))
        return self._dismiss_page(
            request, [suggestion], 1, missing_reason=request.method == "POST", back=back
        )

    @admin.action(
        description=gettext_lazy("Accept the selected suggestions"), permissions=["change"]
    )
    def accept_selected(self, request, queryset):
        suggestions = list(queryset)
        urls = [self._accept(request, suggestion) for suggestion in suggestions]
        # One suggestion: straight to the concept to finish. Several: each has its message.
        if len(urls) == 1 and urls[0]:
            return HttpResponseRedirect(urls[0])
        return None

    @admin.action(
        description=gettext_lazy("Dismiss the selected suggestions…"), permissions=["change"]
    )
    def dismiss_selected(self, request, queryset):
        undecided = queryset.filter(status=NEW)
        reason = text.clean_term(request.POST.get("reason", ""))
        if "apply" in request.POST and reason:
            dismissed = dismiss(
                list(undecided.values_list("pk", flat=True)),
                reason[: Suggestion.REASON_LENGTH],
                request.user,
            )
            self._dismissed_message(request, dismissed)
            return None
        return self._dismiss_page(
            request,
            list(undecided[:MAX_LISTED]),
            undecided.count(),
            missing_reason="apply" in request.POST,
            action=request.POST.get("action", ""),
            selected=request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            select_across=request.POST.get("select_across", "0"),
        )

    def _dismiss_page(self, request, suggestions, count, *, missing_reason, **form):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Dismiss suggestions"),
            "suggestions": suggestions,
            "count": count,
            "missing_reason": missing_reason,
            "reason_length": Suggestion.REASON_LENGTH,
            **form,
        }
        return TemplateResponse(request, "admin/terms/suggestion/dismiss.html", context)

    def _dismissed_message(self, request, count):
        self.message_user(
            request,
            ngettext("%(count)d suggestion dismissed.", "%(count)d suggestions dismissed.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def _accept(self, request, suggestion):
        """Accept one suggestion, say so, and return where the editor goes on (the concept's
        form), or None when nothing was done."""
        if suggestion.status != NEW:
            self.message_user(request, already_decided(suggestion), messages.WARNING)
            return None
        if not request.user.has_perm("terms.add_concept"):
            self.message_user(request, _("Only glossary editors may accept."), messages.ERROR)
            return None
        try:
            concept_id, made = accept(suggestion, request.user)
        except writer.WriteRefused as refusal:
            for problem in refusal.problems:
                self.message_user(request, problem, messages.ERROR)
            return None
        if concept_id is None:  # another editor decided it meanwhile
            self.message_user(request, already_decided(suggestion), messages.WARNING)
            return None
        if made:
            message = _(
                "Suggestion “%(term)s” accepted: a draft concept was made from it. "
                "Complete it, then publish it."
            )
            if suggestion.language != default_language():
                message += " " + _(
                    "Its French term is the suggested wording for now: translate it."
                )
        else:
            message = _(
                "Mistake reported on “%(term)s” accepted: correct the concept here. "
                "The reader wrote: %(message)s"
            )
        self.message_user(
            request,
            message
            % {"term": suggestion.term, "message": Truncator(suggestion.message).chars(300)},
            messages.SUCCESS,
        )
        return reverse("admin:terms_concept_change", args=[concept_id])


def already_decided(suggestion):
    return _("The suggestion “%(term)s” was already decided.") % {"term": suggestion.term}


def accept(suggestion, user):
    """Mark the suggestion accepted and return (concept id, whether a draft was made): the
    concept a mistake is about, or a new draft made through the writer. (None, False) when
    it was decided meanwhile. The writer refusing leaves the suggestion as it was."""
    now = timezone.now()
    with transaction.atomic():
        # Claimed first, in the same transaction: two editors accepting at once make one draft.
        claimed = Suggestion.objects.filter(pk=suggestion.pk, status=NEW).update(
            status=Suggestion.Decision.ACCEPTED, decided_by=user, decided_at=now
        )
        if not claimed:
            return None, False
        if suggestion.kind == Suggestion.Kind.MISTAKE and suggestion.concept is not None:
            return suggestion.concept.pk, False
        try:
            concept_id = writer.save_concept(
                draft_record(suggestion),
                user=user,
                reason=f"accepted the suggestion {suggestion.pk}",
            )
        except IntegrityError as error:  # a concept took the slug between the check and now
            raise writer.WriteRefused([writer.changed_meanwhile_message()]) from error
        Suggestion.objects.filter(pk=suggestion.pk).update(draft_id=concept_id)
    return concept_id, True


def draft_record(suggestion):
    """A draft concept with the suggested term, and the reader's explanation as its
    definition to rework, in the suggestion's language. Every concept needs a term in the
    default language: another language's suggestion lends it its wording until an editor
    translates it."""
    contents = {suggestion.language: Content(term=suggestion.term, definition=suggestion.message)}
    contents.setdefault(default_language(), Content(term=suggestion.term))
    return ConceptRecord(
        slug=free_slug(text.slug_for(suggestion.term) or f"suggestion-{suggestion.pk}"),
        status=Status.DRAFT,
        contents=contents,
    )


def free_slug(slug):
    """`slug`, or `slug-2`, `slug-3`… the first no concept has."""
    taken = set(Concept.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate


def dismiss(suggestion_ids, reason, user):
    """Dismiss the undecided ones among `suggestion_ids`, keeping why. Returns how many."""
    return Suggestion.objects.filter(pk__in=suggestion_ids, status=NEW).update(
        status=Suggestion.Decision.DISMISSED,
        dismissal_reason=reason,
        decided_by=user,
        decided_at=timezone.now(),
    )
