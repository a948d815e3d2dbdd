"""Password guessing, slowed: after LIMIT failed sign-ins within WINDOW, from one address
or for one user name, further attempts are refused until older failures leave the window.

Two keys, because each stops a different guesser: one address trying many user names is
stopped by the address key; one user name tried from many addresses (a botnet) by the
user-name key. The admin's sign-in and the readers' share the counts, so alternating
between them gains nothing.

Why a database table and not the cache: the cache's check-then-increment is a race (20
simultaneous guesses all read "4 failures" before any adds one) and the file cache's
`incr` rewrites the entry, restarting its timeout. Here each attempt first inserts its
row, then counts the rows of its keys, its own included, each statement committing on
its own (the middleware runs outside any transaction). Inserts commit one after the
other on SQLite and PostgreSQL alike, and a count sees every row committed before it, so
the attempt whose row committed n-th counts at least n: at most LIMIT attempts see a count
within the limit, however many arrive at once. The database is already shared by every
worker and every app server, so the counts are too. (django-axes checks, then records
after the password: the same race.)
"""

import functools
import ipaddress
import operator
import unicodedata
from datetime import timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from terms.models import SignInAttempt

LIMIT = 5
WINDOW = timedelta(minutes=15)


def start_attempt(request):
    """Records a sign-in attempt before its password is checked and returns it, or returns
    None when its address or user name already has LIMIT failures within the window.

    The caller deletes the returned attempt unless the password was refused: only
    failures count, and a success does not wipe the failures before it.
    """
    now = timezone.now()
    address = client_address(request)
    username = user_name_key(request.POST.get("username", ""))
    attempt = SignInAttempt.objects.create(address=address, username=username, at=now)
    keys = {"address": Q(address=address)}
    if username:  # an empty user name is no one's: counting those together stops no guesser
        keys["username"] = Q(username=username)
    counts = (
        SignInAttempt.objects.filter(at__gt=now - WINDOW)
        .filter(functools.reduce(operator.or_, keys.values()))
        .aggregate(**{name: Count("pk", filter=key) for name, key in keys.items()})
    )
    SignInAttempt.objects.filter(at__lte=now - WINDOW).delete()
    if max(counts.values()) > LIMIT:
        attempt.delete()  # refused before any check: not a failure, nor a longer lockout
        return None
    return attempt


def user_name_key(username):
    """The user name as the throttle counts it: `Edith`, `edith` and `ｅdith` are one."""
    return unicodedata.normalize("NFKC", username).strip().casefold()[:150]


def client_address(request):
    """The address a request comes from, as the throttle counts it.

    REMOTE_ADDR, unless it is one of our reverse proxies (GLOSSARY_TRUSTED_PROXIES): then
    the right-most address of X-Forwarded-For that is not one of them. Only our proxies
    append to that header; whatever lies left of their entries is what the client sent,
    and a guesser would fill it with a new address at every attempt.
    """
    proxies = _trusted_networks(tuple(settings.GLOSSARY_TRUSTED_PROXIES))
    address = request.META.get("REMOTE_ADDR", "")
    if _is_trusted(address, proxies):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        for hop in reversed([hop.strip() for hop in forwarded if hop.strip()]):
            address = hop
            if not _is_trusted(hop, proxies):
                break
    return _address_key(address)


@functools.lru_cache(maxsize=8)
def _trusted_networks(proxies):
    return tuple(ipaddress.ip_network(proxy, strict=False) for proxy in proxies)


def _is_trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def _address_key(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64]  # not an address: counted as it is written
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        # One IPv6 subscriber holds a /64 at least: counting its addresses one by one
        # would give them 2^64 fresh starts.
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)
