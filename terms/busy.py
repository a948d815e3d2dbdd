"""A glossary busy with an import is a sentence, never a server error.

While an import writes, other writers wait (SQLite's busy timeout, PostgreSQL's
lock timeout: terms/writer.py). A write that still cannot get through — an admin
form whose transaction starts while a large import writes, a sign-in that records
its session — ends here, as a page that says what happened and that nothing was
changed, with `Retry-After` for scripts.
"""

from django.db import OperationalError
from django.shortcuts import render

from terms.writer import Busy, busy_message, is_busy

RETRY_AFTER_SECONDS = 5


class BusyDatabaseMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Busy) or (
            isinstance(exception, OperationalError) and is_busy(exception)
        ):
            response = render(request, "busy.html", {"message": busy_message()}, status=503)
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            return response
        return None
