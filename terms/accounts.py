"""Readers' own sign-in and sign-out, for intranet mode without single sign-on.

The admin's sign-in takes staff only; readers sign in here, with Django's views and
our templates, in the page's language. Both sign-ins are throttled alike
(terms/throttle.py).
"""

from django.contrib.auth import views as auth_views
from django.urls import Resolver404, resolve

# Django checks `next` (same host, no other scheme) before redirecting to it, and falls
# back to LOGIN_REDIRECT_URL, the index.
sign_in = auth_views.LoginView.as_view(template_name="accounts/sign_in.html")

# Signing out takes a POST (a link that a browser prefetches must not sign anyone out):
# a GET shows who is signed in and the button that sends it.
sign_out = auth_views.LogoutView.as_view(
    template_name="accounts/sign_out.html", http_method_names=["get", "post", "options"]
)

SIGN_IN_VIEWS = ("admin:login", "sign-in")


def is_sign_in(request):
    """Whether the request is for a page that checks a password: the admin's or ours,
    in any language (the locale middleware has set the one the path names)."""
    try:
        return resolve(request.path_info).view_name in SIGN_IN_VIEWS
    except Resolver404:
        return False
