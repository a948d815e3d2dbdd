"""Password guessing is slowed on both sign-ins: 5 failures per address and per user name
per 15 minutes, counted in the database, believed behind our proxies only."""

import datetime
import http.cookiejar
import os
import re
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from terms.throttle import LIMIT, client_address
from tests.servers import ROOT, own_database, serve

WRONG = {"username": "rachel", "password": "wrong"}
RIGHT = {"username": "rachel", "password": "pw"}


class Clock:
    def __init__(self):
        self.now = timezone.now()

    def advance(self, **delta):
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr(timezone, "now", lambda: clock.now)
    return clock


def sign_in(fields, address="203.0.113.9", path="/fr/sign-in/", **headers):
    return Client(REMOTE_ADDR=address, **headers).post(path, fields)


@pytest.mark.django_db
def test_the_sixth_attempt_within_15_minutes_is_refused_in_the_readers_language(employee):
    for _ in range(5):
        assert sign_in(WRONG).status_code == 200
    response = sign_in(RIGHT)
    assert response.status_code == 429
    assert "Trop de tentatives de connexion échouées. Réessayez dans 15 minutes." in (
        response.content.decode()
    )
    assert response["Retry-After"] == "900"
    response = sign_in(WRONG, path="/en/sign-in/")
    assert "Too many failed sign-in attempts. Try again in 15 minutes." in (
        response.content.decode()
    )


@pytest.mark.django_db
def test_the_admin_sign_in_shares_the_count_and_speaks_the_browsers_language(editor):
    for path in ("/fr/sign-in/", "/admin/login/", "/en/sign-in/", "/admin/login/", "/fr/sign-in/"):
        assert sign_in({"username": "edith", "password": "wrong"}, path=path).status_code == 200
    response = sign_in(
        {"username": "edith", "password": "pw"}, path="/admin/login/", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert response.status_code == 429
    assert "Trop de tentatives" in response.content.decode()


@pytest.mark.django_db
def test_failures_count_for_15_minutes_not_5(employee, clock):
    for _ in range(5):
        sign_in(WRONG)
    clock.advance(minutes=14, seconds=59)
    assert sign_in(RIGHT).status_code == 429
    clock.advance(seconds=2)
    assert sign_in(RIGHT).status_code == 302


@pytest.mark.django_db
def test_a_success_does_not_wipe_the_failures_before_it(employee, clock):
    for _ in range(4):
        assert sign_in(WRONG).status_code == 200
    assert sign_in(RIGHT).status_code == 302
    assert sign_in(WRONG).status_code == 200  # the fifth failure
    assert sign_in(WRONG).status_code == 429


@pytest.mark.django_db
def test_one_address_trying_many_user_names_is_stopped(employee):
    for number in range(5):
        assert sign_in({"username": f"user{number}", "password": "x"}).status_code == 200
    assert sign_in(RIGHT).status_code == 429
    assert sign_in(RIGHT, address="198.51.100.20").status_code == 302, "others sign in"


@pytest.mark.django_db
def test_one_user_name_tried_from_many_addresses_is_stopped(employee):
    for number in range(5):
        assert sign_in(WRONG, address=f"198.51.100.{number}").status_code == 200
    assert sign_in(RIGHT, address="198.51.100.99").status_code == 429
    other = {"username": "someone-else", "password": "x"}
    assert sign_in(other, address="198.51.100.99").status_code == 200, "others may try"


@pytest.mark.django_db
def test_a_user_name_in_other_capitals_is_the_same_user_name(employee):
    for number, name in enumerate(("rachel", "Rachel", "RACHEL", " rachel", "ｒachel")):
        sign_in({"username": name, "password": "x"}, address=f"198.51.100.{number}")
    assert sign_in(RIGHT, address="198.51.100.99").status_code == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_each_reader_has_a_count_of_their_own(settings, employee):
    settings.GLOSSARY_TRUSTED_PROXIES = ["10.0.0.0/8"]
    for _ in range(5):
        response = sign_in(
            {"username": "guesser", "password": "x"},
            address="10.0.0.2",
            HTTP_X_FORWARDED_FOR="203.0.113.66",
        )
        assert response.status_code == 200
    assert (
        sign_in(RIGHT, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.66").status_code == 429
    )
    response = sign_in(RIGHT, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert response.status_code == 302, "a colleague behind the same proxy signs in"


@pytest.mark.django_db
def test_a_forwarded_address_from_anyone_else_is_not_believed(settings, employee):
    settings.GLOSSARY_TRUSTED_PROXIES = ["10.0.0.0/8"]
    for number in range(5):
        sign_in(
            {"username": f"user{number}", "password": "x"}, HTTP_X_FORWARDED_FOR=f"10.9.9.{number}"
        )
    assert sign_in(RIGHT, HTTP_X_FORWARDED_FOR="192.0.2.1").status_code == 429


def test_a_proxy_that_is_not_an_address_stops_the_site_from_starting():
    env = {**os.environ, "DJANGO_DEBUG": "1", "GLOSSARY_TRUSTED_PROXIES": "10.0.0.0/8, proxy.lan"}
    started = subprocess.run(
        [sys.executable, "-c", "import glossary_site.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert started.returncode != 0
    assert "GLOSSARY_TRUSTED_PROXIES must list IP addresses or networks" in started.stderr


def forwarded(address, chain=None):
    extra = {"REMOTE_ADDR": address}
    if chain is not None:
        extra["HTTP_X_FORWARDED_FOR"] = chain
    return client_address(RequestFactory().post("/fr/sign-in/", **extra))


def test_it_takes_the_right_most_address_our_proxies_did_not_add(settings):
    settings.GLOSSARY_TRUSTED_PROXIES = ["10.0.0.0/8", "192.0.2.10"]
    # What the client wrote comes first; each of our proxies appends the address it saw.
    assert forwarded("10.0.0.2", "1.1.1.1, 203.0.113.5, 192.0.2.10") == "203.0.113.5"
    assert forwarded("10.0.0.2", "203.0.113.5") == "203.0.113.5"
    assert forwarded("10.0.0.2", "192.0.2.10, 10.0.0.3") == "192.0.2.10", "all ours: the first"
    assert forwarded("10.0.0.2") == "10.0.0.2"
    assert forwarded("10.0.0.2", "not-an-address") == "not-an-address"
    assert forwarded("203.0.113.5", "1.1.1.1") == "203.0.113.5", "not from our proxy"


def test_it_counts_an_ipv6_subscriber_once_for_their_whole_network():
    assert forwarded("2001:db8:1:2:aaaa::1") == forwarded("2001:db8:1:2:bbbb::2")
    assert forwarded("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert forwarded("::ffff:203.0.113.5") == "203.0.113.5"


class Browser:
    """One guesser's browser: its own cookies and CSRF token, from the sign-in page."""

    def __init__(self, base, path):
        self.url = base + path
        cookies = urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        self.opener = urllib.request.build_opener(cookies)
        page = self.opener.open(self.url, timeout=30).read().decode()
        self.token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    def sign_in(self, username, password):
        fields = {"username": username, "password": password, "csrfmiddlewaretoken": self.token}
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(self.url, data, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


@pytest.fixture
def busy_site(tmp_path):
    """gunicorn with 4 worker processes of 5 threads: 20 requests are handled at once."""
    commands = [
        ("migrate", "--no-input"),
        ("collectstatic", "--no-input"),
        ("createsuperuser", "--no-input", "--username", "edith", "--email", "e@x.org"),
    ]
    with (
        own_database() as database_url,
        serve(
            tmp_path,
            database_url,
            commands,
            WEB_CONCURRENCY="4",
            GUNICORN_CMD_ARGS="--threads 5",
            DJANGO_SUPERUSER_PASSWORD="the-right-password-1234",
        ) as site,
    ):
        yield site


@pytest.mark.slow
def test_twenty_simultaneous_attempts_let_at_most_five_through(busy_site):
    # Half on the admin's sign-in, half on the readers': they share the counts.
    browsers = [
        Browser(busy_site.base, "/admin/login/" if number % 2 else "/fr/sign-in/")
        for number in range(20)
    ]
    start, statuses = threading.Barrier(len(browsers)), []

    def guess(browser):
        start.wait()
        statuses.append(browser.sign_in("edith", "a-wrong-guess"))

    guessers = [threading.Thread(target=guess, args=(browser,)) for browser in browsers]
    for guesser in guessers:
        guesser.start()
    for guesser in guessers:
        guesser.join(timeout=120)

    assert len(statuses) == 20 and set(statuses) <= {200, 429}, statuses
    checked = statuses.count(200)  # the form shown again: the password was checked
    assert 1 <= checked <= LIMIT, statuses
    # Each checked guess counts, each refused one does not: LIMIT failures in all, then none.
    for _ in range(LIMIT - checked):
        assert browsers[0].sign_in("edith", "another-wrong-guess") == 200
    assert browsers[0].sign_in("edith", "the-right-password-1234") == 429
    log = busy_site.log_path.read_text()
    for problem in ("database is locked", "Traceback", "WORKER TIMEOUT"):
        assert problem not in log, problem
