"""Intranet mode, Content-Security-Policy, sign-in throttling, single sign-on."""

from django.conf import settings
from django.contrib.auth.middleware import PersistentRemoteUserMiddleware
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import render

from terms import api, embed, throttle
from terms.accounts import is_sign_in

# Reachable without signing in even in intranet mode (besides the readers' sign-in): the
# admin, which has its own, the load balancer's health probe, the static files, and the
# language switch (it only remembers a choice and leads to a page, itself guarded), so
# the sign-in page can be read in English. The embedding script is code like the static
# files: it reads nothing of the glossary without the reader's session (terms/embed.py).
OPEN_PREFIXES = ("/admin/", "/healthz", "/static/", "/language/", embed.SCRIPT_PATH)


class RequireLoginMiddleware:
    """With GLOSSARY_REQUIRE_LOGIN on, readers must be signed in: the others are sent to
    the readers' sign-in in their language, with the page they asked for as `next`.
    API clients are scripts, which cannot fill in a sign-in form: they get a JSON 403, and
    so does the embedding script, with CORS headers for a listed origin so it can tell."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            settings.GLOSSARY_REQUIRE_LOGIN
            and not request.user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and not is_sign_in(request)
        ):
            if api.is_api_request(request):
                return api.sign_in_required(request)
            if embed.is_embed_data(request):
                return embed.share_with_origin(request, api.sign_in_required(request))
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


# Reader pages run no inline script or style; the admin's widgets need inline styles.
READER_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)
ADMIN_POLICY = READER_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class ContentSecurityPolicyMiddleware:
    """Adds the Content-Security-Policy header: no inline script anywhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            policy = ADMIN_POLICY if request.path.startswith("/admin/") else READER_POLICY
            response["Content-Security-Policy"] = policy
        return response


class LoginThrottleMiddleware:
    """Slows password guessing on both sign-ins, the admin's and the readers'
    (terms/throttle.py): a refused attempt gets a page saying so, in the reader's language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "POST" or not is_sign_in(request):
            return self.get_response(request)
        attempt = throttle.start_attempt(request)
        if attempt is None:
            response = render(request, "accounts/too_many_attempts.html", status=429)
            response["Retry-After"] = str(int(throttle.WINDOW.total_seconds()))
            return response
        response = self.get_response(request)
        # The form shown again (200) means a refused password. A redirect is a success,
        # and anything else (a CSRF failure) never reached the password check.
        if response.status_code != 200:
            attempt.delete()
        return response


class TrustedProxyUserMiddleware(PersistentRemoteUserMiddleware):
    """Signs in the user named by the trusted proxy's header (GLOSSARY_REMOTE_USER_HEADER);
    the session keeps them signed in. Users are created on first visit, as readers."""

    @property
    def header(self):
        return settings.GLOSSARY_REMOTE_USER_HEADER
