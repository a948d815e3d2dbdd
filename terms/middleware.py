"""Intranet mode: with GLOSSARY_REQUIRE_LOGIN on, readers must be signed in."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login

# Reachable without signing in even in intranet mode: the sign-in itself,
# the load balancer's health probe, and the static files the sign-in page uses.
OPEN_PREFIXES = ("/admin/", "/healthz", "/static/")


class RequireLoginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.GLOSSARY_REQUIRE_LOGIN
            and not request.user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
        ):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)
