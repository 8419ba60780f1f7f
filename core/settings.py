"""Verne settings: one module, driven by environment variables.

One can check out the code, run `make demo` and it works: SQLite is the default
database, tasks run immediately, email goes to the console. Production sets
DATABASE_URL, SECRET_KEY, DEBUG=0, ALLOWED_HOSTS and the email variables.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envsecret(name: str, default: str = "") -> str:
    """Read NAME, or the file named by NAME_FILE (Docker/systemd secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DEBUG = envbool("DEBUG", "1")
# The development key is only accepted while DEBUG is on; check_secret_key refuses it otherwise.
_DEV_SECRET = "django-insecure-verne-development-key-not-for-production"  # noqa: S105
SECRET_KEY = envsecret("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "Verne")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "formtools",
    "simple_history",
    "core",
    "surveys",
    "workflows",
    "reports",
    "core.privacy",
    "core.ops",
]

MIDDLEWARE = [
    "core.ops.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.NorwegianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "core.middleware.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "core.urls"
WSGI_APPLICATION = "core.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite by default (WAL, busy timeout, IMMEDIATE transactions so that
# concurrent writers queue instead of failing); PostgreSQL when DATABASE_URL says so.
_sqlite_path = os.environ.get("SQLITE_PATH", str(BASE_DIR / "verne.sqlite3"))
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES: dict[str, dict[str, Any]] = {
        "default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 60))
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _sqlite_path,
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;"
                    "PRAGMA synchronous=NORMAL;"
                    "PRAGMA busy_timeout=20000;"
                    "PRAGMA foreign_keys=ON;"
                ),
            },
            # A file (not shared-cache memory) so that threads in tests get busy waits, not
            # "table is locked" errors, exactly as concurrent requests would in production.
            # One file per process, so parallel test runs never share it.
            "TEST": {
                "NAME": os.environ.get("SQLITE_TEST_PATH")
                or str(Path(tempfile.gettempdir()) / f"verne-test-{os.getpid()}.sqlite3")
            },
        }
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("TEST_DATABASE_NAME")
    if not DATABASES["default"]["TEST"]["NAME"]:
        del DATABASES["default"]["TEST"]["NAME"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Single sign-on over OpenID Connect (mozilla-django-oidc; core/sso.py, README "Single sign-on").
# On when OIDC_RP_CLIENT_ID is set and the provider's endpoints are given or OIDC_ISSUER lets
# Verne discover them. Local password login stays for small organisations and the demo.
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend", "core.sso.VerneOIDCBackend"]
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "")  # "Microsoft Entra ID", "Feide" ...
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = envsecret("OIDC_RP_CLIENT_SECRET")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_USE_PKCE = envbool("OIDC_USE_PKCE", "1")
OIDC_TIMEOUT = envint("OIDC_TIMEOUT", 10)
# The stable claim that identifies a person (stored in User.external_id): `sub`, or Entra's `oid`.
OIDC_CLAIM_ID = os.environ.get("OIDC_CLAIM_ID", "sub")
# Link a person without an external ID by their email address on first SSO login.
OIDC_MATCH_EMAIL = envbool("OIDC_MATCH_EMAIL", "1")
OIDC_CREATE_USERS = envbool("OIDC_CREATE_USERS", "1")
# Optional membership sync: JSON {"group name or id": ["role@UNIT_CODE", ...]}. For the (role,
# unit) pairs named here the identity provider decides: granted while in the group, ended when not.
OIDC_GROUPS_CLAIM = os.environ.get("OIDC_GROUPS_CLAIM", "groups")
OIDC_GROUP_ROLES: dict[str, list[str]] = {
    str(group): [roles] if isinstance(roles, str) else [str(r) for r in roles]
    for group, roles in json.loads(os.environ.get("OIDC_GROUP_ROLES", "") or "{}").items()
}
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
LOGIN_REDIRECT_URL_FAILURE = "/logg-inn/?sso=feil"

# Internationalisation: Norwegian bokmål first; nynorsk and English available.
LANGUAGE_CODE = "nb"
LANGUAGES = [("nb", _("Norsk bokmål")), ("nn", _("Norsk nynorsk")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Europe/Oslo")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/designsystemet", BASE_DIR / "node_modules/@digdir/designsystemet-css/dist"),
]
STATICFILES_DIRS = [d for d in STATICFILES_DIRS if Path(d[1] if isinstance(d, tuple) else d).exists()]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Cache: local memory by default, Redis when REDIS_URL is set (several app processes).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Email (Django 6.1 MAILERS): console in development, SMTP when EMAIL_HOST is set.
_email_host = os.environ.get("EMAIL_HOST", "")
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": envint("EMAIL_PORT", 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": envsecret("EMAIL_HOST_PASSWORD"),
                "use_tls": envbool("EMAIL_USE_TLS", "1"),
                "timeout": envint("EMAIL_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": os.environ.get(
                "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
            )
        }
    }
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Verne <verne@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: Django's tasks framework. Immediate by default (one process, no
# worker); TASKS_BACKEND=database uses django-tasks-db and its `db_worker` command.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate")
# The database backend's tables always exist, so switching backends needs no migration.
INSTALLED_APPS.append("django_tasks_db")
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

# Security: production (DEBUG off) gets HTTPS-only cookies, HSTS and redirects.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    # The preload directive only makes the site eligible; submitting the domain is a choice.
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "1")
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Verne's own settings.
# Minimum group size for anonymous results; never below 5 (anonymity rules §3.1).
VERNE_MIN_GROUP_SIZE = max(5, envint("VERNE_MIN_GROUP_SIZE", 5))
VERNE_MIN_GROUP_SIZE_SENSITIVE = max(10, envint("VERNE_MIN_GROUP_SIZE_SENSITIVE", 10))
# Anonymous surveys (docs/privacy.md): retention in days after a campaign closes, and reminders.
VERNE_SURVEY_PARTICIPATION_RETENTION_DAYS = envint("VERNE_SURVEY_PARTICIPATION_RETENTION_DAYS", 14)
VERNE_SURVEY_FREE_TEXT_RETENTION_DAYS = envint("VERNE_SURVEY_FREE_TEXT_RETENTION_DAYS", 365)
VERNE_SURVEY_ANSWER_RETENTION_DAYS = envint("VERNE_SURVEY_ANSWER_RETENTION_DAYS", 5 * 365)
VERNE_SURVEY_REMINDER_INTERVAL_DAYS = envint("VERNE_SURVEY_REMINDER_INTERVAL_DAYS", 7)
VERNE_SURVEY_MAX_REMINDERS = envint("VERNE_SURVEY_MAX_REMINDERS", 2)
# Retention per kind of record, in days (core/privacy/retention.py, `manage.py apply_retention`);
# 0 keeps the records. Anonymous survey data: the VERNE_SURVEY_* settings above.
VERNE_RETENTION_DAYS = {
    "audit_events": envint("VERNE_RETENTION_AUDIT_EVENTS_DAYS", 10 * 365),
    "history": envint("VERNE_RETENTION_HISTORY_DAYS", 0),
    "deviation_reporters": envint("VERNE_RETENTION_DEVIATION_REPORTERS_DAYS", 3 * 365),
    "photos": envint("VERNE_RETENTION_PHOTOS_DAYS", 5 * 365),
    "former_employees": envint("VERNE_RETENTION_FORMER_EMPLOYEES_DAYS", 0),
    "task_results": envint("VERNE_RETENTION_TASK_RESULTS_DAYS", 30),
    "sessions": 1,
}
# Who to contact about privacy and accessibility (shown in the statements' default texts).
VERNE_PRIVACY_CONTACT = os.environ.get("VERNE_PRIVACY_CONTACT", "")
# Benchmark only (bench/barometer.py): a baseline endpoint that inserts one JSON row.
VERNE_BENCH_BASELINE = envbool("VERNE_BENCH_BASELINE", "0")

# Logs (core/ops/logging.py): LOG_FORMAT=json for one JSON object a line; messages are redacted
# (query strings, emails, tokens); LOG_REQUESTS=1 logs each request's method, URL pattern,
# status and time, never the path, the query or the person.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "core.ops.logging.RedactFilter"}},
    "formatters": {
        "plain": {"format": "%(levelname)s %(name)s %(message)s"},
        "json": {"()": "core.ops.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["redact"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "verne.request": {"level": "INFO" if envbool("LOG_REQUESTS", "0" if DEBUG else "1") else "WARNING"},
    },
}
# Backups (core/ops/backup.py): Django's serialisation with full-precision timestamps.
SERIALIZATION_MODULES = {"verne_json": "core.ops.serializer"}
BACKUP_DIR = Path(os.environ.get("BACKUP_DIR", str(BASE_DIR / "backups")))
# Health (/helse/): a queued task older than this means no worker runs; RUNNING longer is stuck.
VERNE_HEALTH_TASK_WAIT_MINUTES = envint("VERNE_HEALTH_TASK_WAIT_MINUTES", 15)
VERNE_HEALTH_TASK_STUCK_MINUTES = envint("VERNE_HEALTH_TASK_STUCK_MINUTES", 60)

try:  # An optional, never committed local override.
    from .local_settings import *  # noqa: F403
except ImportError:
    pass
