"""Settings for tmgportal, read from environment variables.

The defaults are the safe production ones: DEBUG off, HTTPS-only cookies, HSTS. A developer's
`make run` writes a `.env` with DEBUG and DEMO on; see `.env.example` for every variable.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
# A local .env (written by `make run`) fills in what the environment does not set.
load_dotenv(os.environ.get("TMG_ENV_FILE", BASE_DIR / ".env"))


def env(name, default=""):
    return os.environ.get(name, default)


def env_bool(name, default=False):
    return env(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# Demo mode seeds fictitious people and prints demo passwords; never on in production.
DEMO_MODE = env_bool("TMG_DEMO")

SECRET_KEY = env("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set (see .env.example).")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Before simple_history: its history-deleting management commands are replaced by refusals.
    "tmgportal",
    "simple_history",
    "django_filters",
    "crispy_forms",
    "crispy_bootstrap5",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "appointments",
    "salaries",
]

MIDDLEWARE = [
    "tmgportal.health.HealthCheckMiddleware",
    "tmgportal.requestlog.RequestLogMiddleware",
    # The HTTPS redirect and its headers before the public-page cache, so a stored page obeys them.
    "django.middleware.security.SecurityMiddleware",
    "tmgportal.publicpages.PublicPageCacheMiddleware",
    "tmgportal.middleware.ReadOnlyRequestMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tmgportal.middleware.PrivateByDefaultMiddleware",
    "csp.middleware.CSPMiddleware",
    "tmgportal.middleware.PermissionsPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tmgportal.middleware.DutchByDefaultMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tmgportal.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "tmgportal.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "tmgportal.urls"
WSGI_APPLICATION = "tmgportal.wsgi.application"

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
                "tmgportal.context_processors.role",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"), conn_max_age=60
    )
}
# Every request runs in one transaction: a failure half-way saves nothing.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default under more than one worker: write-ahead log (readers never wait for the
    # writer), every transaction takes the write lock at BEGIN (IMMEDIATE: no deadlock between two
    # readers that both want to write, "database is locked" is never raised half-way), and a writer
    # waits up to TMG_SQLITE_TIMEOUT seconds for the lock instead of failing.
    # A request that only reads begins DEFERRED instead (tmgportal.sqlite): it never waits for a writer.
    DATABASES["default"]["ENGINE"] = "tmgportal.sqlite"
    # The test database in memory, as for Django's own engine (each test worker process has its own).
    DATABASES["default"]["TEST"] = {"NAME": ":memory:"}
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": int(env("TMG_SQLITE_TIMEOUT", "20")),
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# PostgreSQL roles that do not own the tables (tmgportal.dbroles, docs/database-roles.md): granted
# their rights by every `migrate`, which runs as the owner. Empty: no grants (a single-role install).
TMG_DB_APP_ROLE = env("TMG_DB_APP_ROLE")
TMG_DB_RETENTION_ROLE = env("TMG_DB_RETENTION_ROLE")

AUTHENTICATION_BACKENDS = [
    "tmgportal.lockout.LockoutBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Lock-out after failed logins (tmgportal.lockout): per username across all addresses with the
# longer window, and per address across usernames. Behind a reverse proxy set the number of trusted
# proxies, so the real client address is used (never trust X-Forwarded-For without one).
TMG_LOCKOUT_USERNAME_LIMIT = int(env("TMG_LOCKOUT_USERNAME_LIMIT", "10"))
TMG_LOCKOUT_USERNAME_MINUTES = int(env("TMG_LOCKOUT_USERNAME_MINUTES", "60"))
TMG_LOCKOUT_ADDRESS_LIMIT = int(env("TMG_LOCKOUT_ADDRESS_LIMIT", "30"))
TMG_LOCKOUT_ADDRESS_MINUTES = int(env("TMG_LOCKOUT_ADDRESS_MINUTES", "15"))
TMG_TRUSTED_PROXIES = int(env("TMG_TRUSTED_PROXIES", "0"))

# A second factor (TOTP with recovery codes) for every login (tmgportal.second_factor). Required
# unless demo mode is on; the deploy check refuses production settings without it.
TMG_REQUIRE_SECOND_FACTOR = env_bool("TMG_REQUIRE_SECOND_FACTOR", default=not DEMO_MODE)
OTP_TOTP_ISSUER = "tmgportal"
OTP_LOGIN_URL = "second_factor_verify"

# Sessions: a new key at login (Django does this), flushed at logout, at most 30 minutes idle
# and 12 hours in all (tmgportal.middleware.SessionLifetimeMiddleware).
SESSION_IDLE_SECONDS = int(env("TMG_SESSION_IDLE_SECONDS", str(30 * 60)))
SESSION_ABSOLUTE_SECONDS = int(env("TMG_SESSION_ABSOLUTE_SECONDS", str(12 * 60 * 60)))
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Transport security; a local `make run` over plain HTTP switches these off through .env.
_secure = env_bool("TMG_SECURE_COOKIES", default=True)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_SSL_REDIRECT = env_bool("TMG_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("TMG_BEHIND_PROXY") else None
SECURE_HSTS_SECONDS = int(env("TMG_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
    }
}

# The test suite's N+1 detector (django-zeal): a lazy load in a loop raises, so the test fails.
if env_bool("TMG_DETECT_NPLUSONE"):
    INSTALLED_APPS.append("zeal")
    MIDDLEWARE.append("zeal.middleware.zeal_middleware")
    ZEAL_RAISE = True
    # simple-history records a user's groups by reading the user once per group row when the user is
    # saved (create_historical_record_m2ms): inside the library, a write of one user, not a page loop.
    ZEAL_ALLOWLIST = [{"model": "auth.User", "field": "get()"}]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
# locale/ is kept by makemessages; locale-aanvullingen/ by hand, for strings libraries leave untranslated.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale-aanvullingen"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("TMG_MEDIA_ROOT", str(BASE_DIR / "media")))
# Where `manage.py backup` writes (docs: README, "Backups").
TMG_BACKUP_DIR = Path(env("TMG_BACKUP_DIR", str(BASE_DIR / "backups")))
WHITENOISE_USE_FINDERS = DEBUG or env_bool("TMG_WHITENOISE_USE_FINDERS")

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# One cache for every worker and every machine: Redis when TMG_CACHE_URL names it (production; all
# application servers), else a file cache in TMG_CACHE_DIR that all workers on this machine share.
# Never a per-process cache: a change made through one worker must clear the public register in all.
_cache_url = env("TMG_CACHE_URL")
if _cache_url:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
            "KEY_PREFIX": "tmgportal",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": env("TMG_CACHE_DIR", str(BASE_DIR / "var" / "cache")),
        }
    }

# In demo mode no mail server is at hand: mail goes to files in var/mail (and every notification can
# be read on the recipient's profile page).
EMAIL_BACKEND = env(
    "DJANGO_EMAIL_BACKEND",
    "django.core.mail.backends.filebased.EmailBackend"
    if DEMO_MODE
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_FILE_PATH = env("DJANGO_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
EMAIL_HOST = env("DJANGO_EMAIL_HOST", "localhost")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "tmgportal@localhost")
EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "25"))
EMAIL_TIMEOUT = int(env("DJANGO_EMAIL_TIMEOUT", "10"))
# The address of the application as users reach it, for links in e-mails (no request is at hand).
TMG_BASE_URL = env("TMG_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# The largest PDF accepted as a document on a file (a scanned, signed KB is a few MB).
TMG_DOCUMENT_MAX_BYTES = int(env("TMG_DOCUMENT_MAX_MB", "10")) * 1_000_000

# Lead times of the deadlines dashboard and the reminder e-mails, in calendar months.
TMG_LEAD_MONTHS = {
    "conversation": int(env("TMG_LEAD_CONVERSATION_MONTHS", "6")),
    "term_end": int(env("TMG_LEAD_TERM_END_MONTHS", "12")),
    "search_period_end": int(env("TMG_LEAD_SEARCH_END_MONTHS", "3")),
}
# Back pay of a retroactive table change is computed for at most this many years back (a cap on the
# work; how far a claim reaches is for the salary administration).
TMG_BACK_PAY_MAX_YEARS = int(env("TMG_BACK_PAY_MAX_YEARS", "5"))
# Retention of personal data after a member leaves (AVG), in years. No default: the period follows
# from the archive selection list the ABD applies, which is for the organisation to set.
TMG_RETENTION_YEARS = int(env("TMG_RETENTION_YEARS")) if env("TMG_RETENTION_YEARS") else None

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s"}},
    "filters": {"no_secrets": {"()": "tmgportal.requestlog.SecretPathFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "line", "filters": ["no_secrets"]}
    },
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
    # One line per request (tmgportal.requestlog); TMG_REQUEST_LOG=0 silences it.
    "loggers": {
        "tmgportal.requests": {
            "handlers": ["console"],
            "level": "INFO" if env_bool("TMG_REQUEST_LOG", default=True) else "WARNING",
            "propagate": False,
        }
    },
}
