"""System checks of the glossary's own settings, run by `manage.py check --deploy`."""

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

LOCAL_HOSTS = {"localhost", "0.0.0.0"}


@checks.register(checks.Tags.security, deploy=True)
def check_base_url(app_configs, **kwargs):
    """Concept IRIs are built from GLOSSARY_BASE_URL (terms/interchange/skos.py): in
    production, one left at its localhost default or malformed gives every exported
    concept an identifier nobody can resolve, and changing it later renames them all."""
    if settings.DEBUG:
        return []
    base_url = settings.GLOSSARY_BASE_URL
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        return [
            checks.Warning(
                f"GLOSSARY_BASE_URL is not an absolute http(s) URL: {base_url!r}.",
                hint="Set it to the site's public address, such as "
                "https://glossary.example.com (no query, no fragment).",
                id="terms.W002",
            )
        ]
    if _is_local(parts.hostname):
        return [
            checks.Warning(
                f"GLOSSARY_BASE_URL is a local address ({base_url}): concept IRIs in SKOS "
                "exports would point at the machine that reads them.",
                hint="Set GLOSSARY_BASE_URL to the site's public address, such as "
                "https://glossary.example.com, before publishing any export.",
                id="terms.W001",
            )
        ]
    return []


def _is_local(host):
    if host in LOCAL_HOSTS or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
