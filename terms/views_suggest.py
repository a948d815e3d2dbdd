"""`/<lang>/suggest/`: a reader suggests a term, or reports a mistake on a term page
(`?concept=<slug>`, the page's "Report a mistake" link).

Never cached (terms/caching.py caches only the views it decorates): the page holds a CSRF
token, and, for a signed-in reader, their name. What a reader writes is saved as plain text
and the page shows it back escaped, like every page.
"""

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from terms import suggestions
from terms.models import Concept

SLUG_LENGTH = 100


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def suggest(request):
    language = request.LANGUAGE_CODE
    concept = reported_concept(request.GET.get("concept", ""))
    signed_in = request.user.is_authenticated
    options = {"signed_in": signed_in, "mistake": concept is not None}
    status, refused = 200, False
    if request.method == "POST":
        form = suggestions.SuggestionForm(request.POST, **options)
        if form.is_robot():
            return _thanks(concept)
        if form.is_valid():
            suggestion = form.suggestion(
                concept=concept,
                user=request.user if signed_in else None,
                sender=suggestions.sender_key(request),
            )
            if suggestions.send(suggestion):
                return _thanks(concept)
            # Too many from this sender: said politely, with their text kept in the form.
            status, refused = 429, True
    else:
        initial = {"language": language}
        if concept is not None:
            initial["term"] = concept.display_term(language)
        form = suggestions.SuggestionForm(initial=initial, **options)
    response = render(
        request,
        "terms/suggest.html",
        {
            "form": form,
            "concept": concept,
            "concept_term": concept.display_term(language) if concept else "",
            "honeypot": form[suggestions.HONEYPOT],
            "refused": refused,
            "wait_minutes": int(suggestions.WINDOW.total_seconds() // 60),
        },
        status=status,
    )
    if refused:
        response["Retry-After"] = str(int(suggestions.WINDOW.total_seconds()))
    return response


@never_cache
@require_safe
def thanks(request):
    concept = reported_concept(request.GET.get("concept", ""))
    context = {
        "concept": concept,
        "concept_term": concept.display_term(request.LANGUAGE_CODE) if concept else "",
    }
    return render(request, "terms/suggest_thanks.html", context)


def reported_concept(slug):
    """The published concept `slug` names, else None: an unknown slug and a draft's are the
    same plain form, so the page never tells that a draft exists."""
    if not slug or len(slug) > SLUG_LENGTH:
        return None
    return Concept.objects.published().with_texts().filter(slug=slug).first()


def _thanks(concept):
    # Post/redirect/get: reloading the thank-you page sends nothing again.
    url = reverse("terms:suggest-thanks")
    if concept is not None:
        url += "?" + urlencode({"concept": concept.slug})
    return HttpResponseRedirect(url)
