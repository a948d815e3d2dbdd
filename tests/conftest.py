"""Shared fixtures: named personas and a concept factory, no JSON fixtures."""

import os

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import translation

from terms.management.seed import load_seed
from terms.models import Concept, Status
from terms.records import ConceptRecord, Content
from terms.writer import save_concept

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's event loop


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached pages are keyed by a generation that restarts with every test database."""
    from django.core.cache import cache

    from terms import generation_mirror
    from terms.caching import recent_pages
    from terms.index import domain_choices
    from terms.search import known_corrections

    def forget():
        cache.clear()
        recent_pages.clear()
        domain_choices.cache_clear()
        known_corrections.cache_clear()
        generation_mirror.listener.reset()

    forget()
    yield
    forget()


REDIS_TEST_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def redis_url():
    """A Redis database kept for tests (REDIS_TEST_URL), emptied before and after. Skips
    where Redis does not answer, except in CI, which must run these tests."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.ConnectionError:
        if os.environ.get("CI"):
            pytest.fail(f"Redis does not answer at {REDIS_TEST_URL}: CI must run these tests.")
        pytest.skip(f"Redis does not answer at {REDIS_TEST_URL}.")
    client.flushdb()
    yield REDIS_TEST_URL
    client.flushdb()
    client.close()


@pytest.fixture(autouse=True)
def _english_outside_requests():
    """Code a test calls directly speaks English unless the test asks for French; each
    request still gets its own language from the locale middleware (the URL, the browser)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_and_english_free(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def make_concept(slug=None, *, status=Status.PUBLISHED, see_also=(), **texts):
    """A concept from keyword texts, saved through the writer as an editor's form would:
    make_concept(fr="Vente", en="Sales", acronyms_en=["S"])."""
    fr_term = texts.get("fr", "")
    contents = {
        code: Content(
            term=texts.get(code, ""),
            acronyms=tuple(texts.get(f"acronyms_{code}", ())),
            variants=tuple(texts.get(f"variants_{code}", ())),
            definition=texts.get(f"definition_{code}", ""),
        )
        for code in ("fr", "en")
    }
    record = ConceptRecord(
        slug=slug or fr_term.lower().replace(" ", "-") or "concept",
        status=status,
        contents=contents,
        see_also=tuple(concept.slug for concept in see_also),
    )
    return Concept.objects.get(pk=save_concept(record, reason="test"))


@pytest.fixture
def seed(db):
    """The seed glossary as `make run` loads it: its named domains, then its 39 concepts."""
    report = load_seed()
    assert report.ok, report.problems
    return report


@pytest.fixture
def published_concept(db):
    return make_concept(
        "churn",
        fr="Taux d’attrition",
        en="Churn rate",
        definition_fr="Taux de perte des clients.",
    )


@pytest.fixture
def draft_concept(db):
    return make_concept("brouillon", fr="Concept en cours", status=Status.DRAFT)


@pytest.fixture
def editor(db):
    user = User.objects.create_user("edith", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Glossary editors"))
    return user


@pytest.fixture
def employee(db):
    """A reader with an account and nothing more: not staff, in no group."""
    return User.objects.create_user("rachel", password="pw")


@pytest.fixture
def editor_client(editor):
    """A browser session of `editor`, signed in."""
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def staff_outsider(db):
    return User.objects.create_user("oscar", password="pw", is_staff=True)


@pytest.fixture
def single_sign_on(settings):
    """The stack GLOSSARY_TRUST_REMOTE_USER=1 builds at start-up (settings are read then),
    with the proxy passing the user name in X-Remote-User."""
    settings.GLOSSARY_REMOTE_USER_HEADER = "HTTP_X_REMOTE_USER"
    index = settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    settings.MIDDLEWARE = [
        *settings.MIDDLEWARE[: index + 1],
        "terms.middleware.TrustedProxyUserMiddleware",
        *settings.MIDDLEWARE[index + 1 :],
    ]
    settings.AUTHENTICATION_BACKENDS = [
        "django.contrib.auth.backends.RemoteUserBackend",
        "django.contrib.auth.backends.ModelBackend",
    ]


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium: Playwright cannot download its own browser here."""
    if not os.path.exists(CHROMIUM):
        message = (
            f"Browser tests need Debian's Chromium at {CHROMIUM}: "
            "run `apt-get update && apt-get install -y chromium`, then `make test` again."
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def live_seed(transactional_db, live_server):
    """The seed glossary served by a live server, for the browser."""
    assert load_seed().ok
    return live_server
