"""Settings for the glossary, read from the environment.

One file for every environment: what differs between a laptop and production
comes from environment variables, never from a second settings module.
"""

import hashlib
import ipaddress
import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name, default):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def envnetworks(name):
    networks = envlist(name, [])
    for network in networks:
        try:
            ipaddress.ip_network(network, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} must list IP addresses or networks (10.0.0.0/8), not {network!r}"
            ) from None
    return networks


def envorigins(name):
    origins = envlist(name, [])
    for origin in origins:
        parts = urlsplit(origin)
        if (
            parts.scheme not in ("http", "https")
            or not parts.netloc
            or origin != (f"{parts.scheme}://{parts.netloc}")
        ):
            raise ImproperlyConfigured(
                f"{name} must list origins such as https://intranet.example.com "
                f"(scheme, host and port, no path), not {origin!r}"
            )
    return origins


DEBUG = envbool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. "
            "Set it to a long random string, or set DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", [])

GLOSSARY_REQUIRE_LOGIN = envbool("GLOSSARY_REQUIRE_LOGIN", False)
# The title in the default language (TBX files, the SKOS scheme's dct:title) and in each
# content language (the SKOS scheme's labels). The English default is the seed's title,
# so it is dropped with the French one: a renamed glossary has no stale English name.
GLOSSARY_TITLE = os.environ.get("GLOSSARY_TITLE", "Glossaire des ventes")
GLOSSARY_TITLES = {
    "fr": GLOSSARY_TITLE,
    "en": os.environ.get(
        "GLOSSARY_TITLE_EN", "" if "GLOSSARY_TITLE" in os.environ else "Sales glossary"
    ),
}
# Where readers reach the site: the base of the stable concept IRIs in every SKOS
# description (downloads, admin, command line, term pages), never taken from a request.
# `check --deploy` warns while it is this local default (terms/checks.py).
GLOSSARY_BASE_URL = os.environ.get("GLOSSARY_BASE_URL", "http://127.0.0.1:8000")
# The intranet origins whose pages may use the glossary (terms/embed.py): they alone get
# CORS headers on /embed/ and may frame a term's card. None by default: no page elsewhere
# may read or frame the glossary until an administrator lists it.
GLOSSARY_EMBED_ORIGINS = envorigins("GLOSSARY_EMBED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "simple_history",
    "django_tasks",
    "django_tasks_db",
    "terms",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "terms.caching.FrontPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "terms.middleware.RequireLoginMiddleware",
    "terms.middleware.ContentSecurityPolicyMiddleware",
    "terms.middleware.LoginThrottleMiddleware",
    "terms.refusals.RefusedWriteMiddleware",
]

# Single sign-on: a trusted reverse proxy authenticates users and passes their
# name in a header (REMOTE_USER, or e.g. HTTP_X_REMOTE_USER). Only enable this
# when the proxy strips that header from clients' requests.
GLOSSARY_TRUST_REMOTE_USER = envbool("GLOSSARY_TRUST_REMOTE_USER", False)
GLOSSARY_REMOTE_USER_HEADER = os.environ.get("GLOSSARY_REMOTE_USER_HEADER", "REMOTE_USER")
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
if GLOSSARY_TRUST_REMOTE_USER:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,
        "terms.middleware.TrustedProxyUserMiddleware",
    )
    AUTHENTICATION_BACKENDS.insert(0, "django.contrib.auth.backends.RemoteUserBackend")

# The reverse proxies in front of the app, as addresses or networks (10.0.0.0/8): only a
# request coming from one of them has its X-Forwarded-For believed, to find the address
# the sign-in throttle counts (terms/throttle.py). Without them, REMOTE_ADDR is the client.
GLOSSARY_TRUSTED_PROXIES = envnetworks("GLOSSARY_TRUSTED_PROXIES")

ROOT_URLCONF = "glossary_site.urls"
WSGI_APPLICATION = "glossary_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "terms.context_processors.languages",
                "terms.context_processors.editing",
            ],
        },
    },
]

# SQLite is the embedded default. Several gunicorn workers and an import can
# write at once: WAL lets readers carry on during a write, the busy timeout
# makes a writer wait instead of failing with "database is locked", and
# IMMEDIATE transactions take the write lock up front so two writers never
# deadlock upgrading a read lock.
SQLITE_PATH = os.environ.get("GLOSSARY_SQLITE_PATH", str(BASE_DIR / "data" / "glossary.sqlite3"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{SQLITE_PATH}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open between requests as on PostgreSQL: opening a SQLite connection (and its
    # PRAGMAs) cost more than serving a cached page. Restart the app after replacing the
    # database file (a restore): an open connection keeps reading the file it opened.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        ),
    }
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No parallel workers for one query: a reader's search then takes every core of a
    # small server from the other readers, and a worker's start costs more than these
    # queries (a DATABASE_URL with its own `options` keeps them).
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", "-c max_parallel_workers_per_gather=0"
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The content languages of the glossary are the interface languages: the
# first one is the default, whose term every concept must have.
LANGUAGE_CODE = "fr"
LANGUAGES = [
    ("fr", _("French")),
    ("en", _("English")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Paris")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Readers sign in on a page of their own (terms/accounts.py); the admin keeps its sign-in
# for staff. URL names, not paths: they are reversed in the reader's language.
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "terms:index"

# The cache holds reader pages (terms/caching.py); the sign-in throttle counts in the
# database (terms/throttle.py). By default it is a folder shared by every worker of this
# server: a page rendered once serves them all, survives a worker's restart, and lives in
# the OS page cache rather than in each worker's memory.
# REDIS_URL shares it between app servers. Keys are prefixed with the database they
# describe, so two databases (a benchmark, a restored copy) never share pages.
CACHE_KEY_PREFIX = hashlib.sha1(
    "{ENGINE}|{HOST}|{PORT}|{NAME}".format(**DATABASES["default"]).encode()
).hexdigest()[:10]
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            # Django's backend, with its Redis clients kept (terms/rediscache.py).
            "BACKEND": "terms.rediscache.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": CACHE_KEY_PREFIX,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "terms.filecache.SharedFileCache",
            "LOCATION": os.environ.get("GLOSSARY_CACHE_DIR", str(BASE_DIR / "data" / "cache")),
            "KEY_PREFIX": CACHE_KEY_PREFIX,
            # Reader pages of 2 to 40 KB, a third of that once zlib has them: 20,000
            # holds every term page of a large glossary in both languages in ~100 MB.
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }
# Parts of every page that only the language changes (the header's search form, the
# footer's links), rendered once per worker: `{% cache … using="chrome" %}` in base.html.
# They hold no glossary data, so they never go stale while the code runs.
CACHES["chrome"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "chrome",
}
# With Redis as the shared cache, each change's generation is published there and every
# worker hears it (terms/generation_mirror.py); what a worker heard is trusted this many
# seconds, so a change that bypassed the app shows within twice that. 0 reads the
# database on each request.
GLOSSARY_GENERATION_MIRROR_SECONDS = envint("GLOSSARY_GENERATION_MIRROR_SECONDS", 5)

# E-mail: editors hear of each reader's suggestion (terms/suggestions.py). Without a mail
# server the e-mails are written to the console (the server's log); EMAIL_HOST sends them.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10  # a slow mail server delays a reader's "thank you" at most this long
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "glossaire@localhost")
# Who gets those e-mails: these addresses, else every "Glossary editors" member with one.
GLOSSARY_SUGGESTION_EMAILS = envlist("GLOSSARY_SUGGESTION_EMAILS", [])

# Uploads: spreadsheets of a few thousand rows are well under this.
GLOSSARY_MAX_UPLOAD_BYTES = envint("GLOSSARY_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = GLOSSARY_MAX_UPLOAD_BYTES
# An admin import's file between its preview and its confirmation (terms/admin_files.py);
# removed once confirmed or refused, swept away after an hour when nobody confirms.
GLOSSARY_UPLOAD_DIR = os.environ.get("GLOSSARY_UPLOAD_DIR", str(BASE_DIR / "data" / "uploads"))
FILE_UPLOAD_MAX_MEMORY_SIZE = GLOSSARY_MAX_UPLOAD_BYTES

# Background imports (terms/background.py): an admin import of a file larger than this
# (bytes, uncompressed for XLSX; about 2,000 rows of a CSV with definitions) runs as a
# task, with a progress page, instead of inside the request. The tasks go through the
# django-tasks backport: the database queue by default, Redis (RQ) with REDIS_URL, so
# every app server and worker sees the same queue. `make run` starts a worker
# (`manage.py run_worker`); GLOSSARY_TASKS_BACKEND=immediate runs tasks in the request.
GLOSSARY_BACKGROUND_IMPORT_BYTES = envint("GLOSSARY_BACKGROUND_IMPORT_BYTES", 1024 * 1024)
TASKS_BACKEND = os.environ.get("GLOSSARY_TASKS_BACKEND") or (
    "redis" if os.environ.get("REDIS_URL") else "database"
)
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "redis": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"GLOSSARY_TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND]}}
if TASKS_BACKEND == "redis":
    if not os.environ.get("REDIS_URL"):
        raise ImproperlyConfigured("GLOSSARY_TASKS_BACKEND=redis needs REDIS_URL.")
    INSTALLED_APPS.append("django_rq")
    RQ_QUEUES = {"default": {"URL": os.environ["REDIS_URL"], "DEFAULT_TIMEOUT": 3600}}


# Production hardening, all configurable for a TLS-terminating proxy.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("DJANGO_SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("DJANGO_SECURE_HSTS_PRELOAD", False)
if envbool("DJANGO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "terms": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

# Import needs the right to change concepts, export the right to view them:
# staff outside the "Glossary editors" group get neither.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "change"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
