"""A write the glossary refuses is a page that says why, never a server error.

Forms and actions turn the writer's refusals into messages where they can. What
still reaches here — an admin form whose transaction starts while a large import
writes, a save that loses a race with another editor's — becomes a page that says
what happened and that nothing was changed: 503 with `Retry-After` for a busy
database, 409 for a concept changed meanwhile, 400 for anything else.
"""

from django.db import OperationalError
from django.shortcuts import render
from django.utils.translation import gettext as _

from terms.writer import Busy, ChangedMeanwhile, WriteRefused, busy_message, is_busy

RETRY_AFTER_SECONDS = 5


class RefusedWriteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, OperationalError) and is_busy(exception):
            exception = Busy([busy_message()])
        if not isinstance(exception, WriteRefused):
            return None
        if isinstance(exception, Busy):
            title, status = _("The glossary is busy"), 503
        elif isinstance(exception, ChangedMeanwhile):
            title, status = _("Changed meanwhile"), 409
        else:
            title, status = _("Nothing was changed"), 400
        response = render(
            request,
            "refused.html",
            {"title": title, "problems": exception.problems},
            status=status,
        )
        if status == 503:
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
