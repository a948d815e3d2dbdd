"""Readers' suggestions: the form they fill in, the limit on how many one sender may send,
and the e-mail that tells the editors.

The limit counts in the database, as the sign-in throttle does (terms/throttle.py) and for
the same reason: each suggestion is first saved (committing on its own, outside any
transaction), then its sender's suggestions within the window are counted, its own
included. Saves commit one after the other, so the n-th saved counts at least n: at most
LIMIT within the window are kept however many arrive at once; the others are deleted
again and their sender gets a polite page. A signed-in reader is counted by account (a
company's readers often share one address behind its proxy), anyone else by address.
"""

import hashlib
import hmac
import logging
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from terms import text
from terms.models import Suggestion
from terms.throttle import client_address

LIMIT = 5
WINDOW = timedelta(minutes=10)
EDITORS_GROUP = "Glossary editors"
# The honeypot: a field people never see nor reach with the keyboard, which robots that
# fill in every field fill in too.
HONEYPOT = "website"

logger = logging.getLogger(__name__)


class SuggestionForm(forms.Form):
    """Term, its language, what it means (or what is wrong), and who sends it unless they
    are signed in. Every field is capped as the model is, and stays plain text."""

    term = forms.CharField(label=gettext_lazy("Term"), max_length=Suggestion.TERM_LENGTH)
    language = forms.ChoiceField(label=gettext_lazy("Language of the term"))
    message = forms.CharField(
        label=gettext_lazy("What does it mean?"),
        max_length=Suggestion.MESSAGE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    name = forms.CharField(
        label=gettext_lazy("Your name (optional)"),
        max_length=Suggestion.NAME_LENGTH,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail (optional)"),
        help_text=gettext_lazy("Only if you would like an answer."),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, signed_in=False, mistake=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, capfirst(name)) for code, name in settings.LANGUAGES
        ]
        if mistake:
            self.fields["message"].label = gettext_lazy("What is wrong?")
        if signed_in:  # the account says who sends it
            del self.fields["name"]
            del self.fields["email"]

    def is_robot(self):
        """Whether the honeypot was filled in: then nothing is saved, and the sender is
        thanked all the same (a robot told why learns to avoid the field)."""
        return bool(self.data.get(HONEYPOT, "").strip())

    def clean_term(self):
        # One line: the term goes into an e-mail's subject and a draft's term.
        term = text.clean_term(self.cleaned_data["term"])
        if not term:
            raise forms.ValidationError(_("Write the term."))
        return term

    def clean_message(self):
        return text.clean_definition(self.cleaned_data["message"])

    def clean_name(self):
        return text.clean_term(self.cleaned_data["name"])

    def suggestion(self, *, concept, user, sender):
        data = self.cleaned_data
        return Suggestion(
            kind=Suggestion.Kind.MISTAKE if concept else Suggestion.Kind.NEW_TERM,
            term=data["term"],
            language=data["language"],
            message=data["message"],
            name=data.get("name", ""),
            email=data.get("email", ""),
            concept=concept,
            user=user,
            sender=sender,
        )


def sender_key(request):
    """Who the limit counts: the account of a signed-in reader, else the address (as the
    sign-in throttle finds it, behind our proxies). Stored as a keyed hash, not an address."""
    if request.user.is_authenticated:
        who = f"user:{request.user.pk}"
    else:
        who = f"address:{client_address(request)}"
    return hmac.new(settings.SECRET_KEY.encode(), who.encode(), hashlib.sha256).hexdigest()


def send(suggestion):
    """Save the suggestion and tell the editors, unless its sender already sent LIMIT
    within WINDOW. Returns whether it was kept."""
    now = timezone.now()
    suggestion.created_at = now
    suggestion.save()
    recent = Suggestion.objects.filter(
        sender=suggestion.sender, created_at__gt=now - WINDOW
    ).count()
    if recent > LIMIT:
        suggestion.delete()
        return False
    notify_editors(suggestion)
    return True


def recipients():
    """GLOSSARY_SUGGESTION_EMAILS if set, else the e-mail of every active member of the
    "Glossary editors" group that has one."""
    if settings.GLOSSARY_SUGGESTION_EMAILS:
        return list(settings.GLOSSARY_SUGGESTION_EMAILS)
    return sorted(
        set(
            User.objects.filter(groups__name=EDITORS_GROUP, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


def notify_editors(suggestion):
    """One plain-text e-mail per suggestion, in the glossary's default language, with the
    address of the suggestion in the admin. A mail server that fails loses the e-mail,
    never the suggestion: it is in the admin's list all the same."""
    to = recipients()
    if not to:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = _mail(suggestion)
    try:
        send_mail(subject, body, None, to)
    except Exception:
        logger.exception("The e-mail about suggestion %s could not be sent", suggestion.pk)


def _mail(suggestion):
    term = Truncator(suggestion.term).chars(80)
    if suggestion.kind == Suggestion.Kind.MISTAKE:
        subject = _("Glossary: a mistake reported on “%(term)s”") % {"term": term}
    else:
        subject = _("Glossary: a term suggested, “%(term)s”") % {"term": term}
    if suggestion.user:
        sender = suggestion.user.get_username()
    else:
        email = f"<{suggestion.email}>" if suggestion.email else ""
        sender = " ".join(part for part in (suggestion.name, email) if part) or _("anonymous")
    language = dict(settings.LANGUAGES).get(suggestion.language, suggestion.language)
    lines = [
        _("Term: %(term)s (%(language)s)") % {"term": suggestion.term, "language": language},
        _("From: %(sender)s") % {"sender": sender},
    ]
    if suggestion.concept:
        lines.append(
            _("About the page: %(url)s") % {"url": _absolute(suggestion.concept.get_absolute_url())}
        )
    lines += [
        "",
        suggestion.message,
        "",
        _("Accept or dismiss it in the admin: %(url)s")
        % {"url": _absolute(reverse("admin:terms_suggestion_change", args=[suggestion.pk]))},
    ]
    return subject, "\n".join(lines) + "\n"


def _absolute(path):
    return settings.GLOSSARY_BASE_URL.rstrip("/") + path
