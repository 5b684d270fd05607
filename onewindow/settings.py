"""Settings for onewindow, read from environment variables only (see .env.example)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url
import django_stubs_ext
from csp.constants import NONE, SELF
from django.contrib.messages import constants as message_levels
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from dotenv import load_dotenv

django_stubs_ext.monkeypatch()  # lets runtime code write ModelAdmin[Model] and friends

BASE_DIR = Path(__file__).resolve().parent
# A development checkout keeps its own settings in .env beside manage.py (`make run` writes DEBUG=1
# there). What the environment already holds wins, so a production unit's settings always apply.
load_dotenv(BASE_DIR.parent / ".env", override=False)
VAR_DIR = Path(os.environ.get("ONEWINDOW_VAR_DIR", BASE_DIR.parent / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    """An integer setting; unset or empty is the default."""
    return int(os.environ.get(name) or default)


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-only-for-debug"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "onewindow.orgs.admin_apps.OneWindowAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",  # serves the API docs' Swagger UI from static files, not from a CDN
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "onewindow.orgs",
    "onewindow.audit",
    "onewindow.workdays",
    "onewindow.catalogue",
    "onewindow.cases",
    "onewindow.projects",
    "onewindow.agency",
    "onewindow.halls",
    "onewindow.tickets",
    "onewindow.fees",
    "onewindow.certificates",
    "onewindow.evaluation",
    "onewindow.dispatch",
    "onewindow.ranking",
    "onewindow.notify",
    "onewindow.briefings",
    "onewindow.jobs",
    "onewindow.web",
    "onewindow.analytics",
    "onewindow.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "onewindow.audit.middleware.RequestIdMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "onewindow.web.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "onewindow.web.middleware.RejectBadInputMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",  # a locked-out login answers 429 with Retry-After
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account or address (orgs/login_throttle.py)
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "onewindow.urls"
WSGI_APPLICATION = "onewindow.wsgi.application"
AUTH_USER_MODEL = "orgs.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "onewindow.web.context_processors.navigation",
            ],
        },
    },
]

SQLITE_OPTIONS = {
    # select_for_update is a no-op on SQLite: take the write lock when the transaction starts.
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
}
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'onewindow.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = SQLITE_OPTIONS
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Parameters bound by the server, and a statement run five times on a connection prepared:
    # the case engine's lock and write statements are then planned once per connection, not on
    # every step (docs/adr/0003-prepared-statements-on-postgresql.md).
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options.update({"server_side_binding": True, "prepare_threshold": 5, **options})
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Staff accounts (a role in an organisation): 12+ characters, three kinds, not the username.
    {"NAME": "onewindow.orgs.passwords.StaffPasswordValidator", "OPTIONS": {"min_length": 12, "min_kinds": 3}},
]

# Bootstrap colours its alerts by these names: an error is "danger", not "error"
MESSAGE_TAGS = {message_levels.ERROR: "danger"}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_ROOT = VAR_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Every script, style, font and image is served from here (assets are vendored, templates carry no
# inline script or style attribute), so the policy can forbid everything else.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "onewindow@localhost")
# 好差评: working days to verify a bad rating, and to rectify and answer it (国办发〔2019〕51号).
EVALUATION_VERIFY_DAYS = int(os.environ.get("EVALUATION_VERIFY_DAYS", "1"))
EVALUATION_ANSWER_DAYS = int(os.environ.get("EVALUATION_ANSWER_DAYS", "15"))
# The SMS rating link: the site's public address, the days the link stays valid; the 评价器's minutes.
EVALUATION_LINK_BASE_URL = os.environ.get("EVALUATION_LINK_BASE_URL", "http://127.0.0.1:8000")
EVALUATION_SMS_LINK_DAYS = int(os.environ.get("EVALUATION_SMS_LINK_DAYS", "15"))
EVALUATION_KIOSK_MINUTES = int(os.environ.get("EVALUATION_KIOSK_MINUTES", "30"))
# 先取号后办理: minutes within which a skipped ticket (过号) may be recalled at its window.
TICKETS_RECALL_MINUTES = int(os.environ.get("TICKETS_RECALL_MINUTES", "30"))

# The finance bureau (财政局): its staff read the fee reconciliation and savings lists of their region's subtree.
FEES_FINANCE_DEPARTMENT_CODE = os.environ.get("FEES_FINANCE_DEPARTMENT_CODE", "9901-CZ")

NOTIFY_SMS_BACKEND = os.environ.get("NOTIFY_SMS_BACKEND", "onewindow.notify.backends.ConsoleSmsBackend")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused or missing page is one line in the log; only a server error carries its traceback.
    "filters": {"client_errors_without_traceback": {"()": "onewindow.web.log_filters.ClientErrorsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["client_errors_without_traceback"]}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every rendering step, fontTools every font subset and axes every login at INFO
    # (axes' failed logins stay: WARNING).
    "loggers": {name: {"level": "WARNING"} for name in ("weasyprint", "fontTools", "axes")},
}

# Background and periodic work (docs/adr/0004-background-work-on-django-tasks.md): the django.tasks
# API through the django-tasks backport. TASKS_BACKEND "database" (the default: tasks are rows in
# DATABASE_URL's database, run by `onewindow db_worker`), "rq" (Redis at REDIS_URL, run by
# `onewindow rqworker default`) or "immediate" (run inside the request: tests only).
TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
if TASKS_BACKEND not in TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {', '.join(TASK_BACKENDS)}")
TASKS = {"default": {"BACKEND": TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
if TASKS_BACKEND == "rq":  # the RQ worker command (`rqworker`) comes with django_rq
    INSTALLED_APPS += ["django_tasks_rq", "django_rq"]
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# A job may run this long under RQ before its worker stops it (a year of ranking, a month of reports).
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("RQ_JOB_TIMEOUT_SECONDS", 3600)}}
# A failed periodic run is tried again after JOB_RETRY_BACKOFF_SECONDS, then twice that, ..., up to
# JOB_RETRY_ATTEMPTS attempts in all. JOB_SCHEDULES (JSON) changes a schedule's cron expression or
# switches it "off", e.g. {"ranking.rank_previous_month": "30 2 1 * *"} (onewindow/jobs/schedules.py).
JOB_RETRY_ATTEMPTS = env_int("JOB_RETRY_ATTEMPTS", 3)
JOB_RETRY_BACKOFF_SECONDS = env_int("JOB_RETRY_BACKOFF_SECONDS", 60)
JOB_SCHEDULES = json.loads(os.environ.get("JOB_SCHEDULES") or "{}")

# --- onewindow ---------------------------------------------------------------
# The hash of the audit chain: "sm3" or "sha256", fixed per deployment and recorded per event.
AUDIT_HASH_ALGORITHM = os.environ.get("AUDIT_HASH_ALGORITHM", "sm3")
# Ed25519 private key (PEM) that signs audit checkpoints. Generated under var/ in DEBUG.
AUDIT_SIGNING_KEY = os.environ.get("AUDIT_SIGNING_KEY", "")
AUDIT_SIGNING_KEY_FILE = os.environ.get("AUDIT_SIGNING_KEY_FILE", "")
# The public keys (PEM, one block after another) of signing keys this deployment used before a
# rotation: checkpoints verify only with the current key or one of these.
AUDIT_RETIRED_PUBLIC_KEYS_FILE = os.environ.get("AUDIT_RETIRED_PUBLIC_KEYS_FILE", "")
# Key for the keyed hashes that stand for personal data inside audit events.
PSEUDONYM_KEY = os.environ.get("PSEUDONYM_KEY", "") or SECRET_KEY
AUDIT_CHECKPOINT_INTERVAL_SECONDS = int(os.environ.get("AUDIT_CHECKPOINT_INTERVAL_SECONDS", "60"))
# Electronic certificates (docs/operations/certificates.md). The QR code's target: this origin + /verify/<number>/.
CERTIFICATES_PUBLIC_URL = os.environ.get("CERTIFICATES_PUBLIC_URL", "http://localhost:8000").rstrip("/")
# The trust root (PEM) that the seals chain to; the seals' keys and certificates: a directory of
# <department code>.key.pem / <department code>.cert.pem (+ chain.pem), or a PKCS#11 token.
# In DEBUG, left empty, a development CA and the seals are generated under var/certificates/.
CERTIFICATES_CA_CERT_FILE = os.environ.get("CERTIFICATES_CA_CERT_FILE", "")
CERTIFICATES_SEAL_DIR = os.environ.get("CERTIFICATES_SEAL_DIR", "")
CERTIFICATES_PKCS11_MODULE = os.environ.get("CERTIFICATES_PKCS11_MODULE", "")
CERTIFICATES_PKCS11_TOKEN = os.environ.get("CERTIFICATES_PKCS11_TOKEN", "")
CERTIFICATES_PKCS11_PIN_FILE = os.environ.get("CERTIFICATES_PKCS11_PIN_FILE", "")
# The SM2 key (two hex lines: private, public) that signs the certificates' data (GB/T 32918).
CERTIFICATES_SM2_KEY_FILE = os.environ.get("CERTIFICATES_SM2_KEY_FILE", "")
# Where development keys are generated on first use (a development CA, the seals, the SM2 key): by
# default var/certificates/ in DEBUG, nowhere otherwise (production must configure the keys above).
CERTIFICATES_DEV_KEYS_DIR = os.environ.get("CERTIFICATES_DEV_KEYS_DIR") or (
    str(VAR_DIR / "certificates") if DEBUG else ""
)
# Login throttling (orgs/login_throttle.py, django-axes, counted in the database): an account is
# locked after LOGIN_FAILURES_PER_ACCOUNT failed logins, an address after LOGIN_FAILURES_PER_ADDRESS
# (on any accounts), each for LOGIN_LOCKOUT_MINUTES after the failure that locked it. Behind a
# reverse proxy, LOGIN_THROTTLE_TRUSTED_PROXIES proxies append to X-Forwarded-For.
LOGIN_FAILURES_PER_ACCOUNT = env_int("LOGIN_FAILURES_PER_ACCOUNT", 5)
LOGIN_FAILURES_PER_ADDRESS = env_int("LOGIN_FAILURES_PER_ADDRESS", 30)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
LOGIN_THROTTLE_TRUSTED_PROXIES = env_int("LOGIN_THROTTLE_TRUSTED_PROXIES", 1 if env_bool("BEHIND_TLS_PROXY") else 0)
AXES_HANDLER = "onewindow.orgs.login_throttle.LoginThrottleHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "onewindow.orgs.login_throttle.failure_limit"
AXES_COOLOFF_TIME = "onewindow.orgs.login_throttle.cool_off"
AXES_RESET_ON_SUCCESS = True  # the account's count only (LoginThrottleHandler.reset_user_attempts)
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a lock ends when it said it would
AXES_CLIENT_IP_CALLABLE = "onewindow.orgs.login_throttle.client_address"
AXES_LOCKOUT_CALLABLE = "onewindow.orgs.login_throttle.lockout_response"
AXES_ENABLE_ADMIN = False  # the security admin's page: orgs/admin_lockouts.py
AXES_DISABLE_ACCESS_LOG = True  # no table of every successful login (address, browser) kept forever
AXES_VERBOSE = False

# Lifetime of the API tokens app and mini-program clients get from POST /api/cases/auth/token.
CASES_API_TOKEN_MAX_AGE_SECONDS = int(os.environ.get("CASES_API_TOKEN_MAX_AGE_SECONDS", str(12 * 60 * 60)))
# Dispatch (调度): the monthly cut-off day where no region has set its own cycle (a shorter month
# uses its last day), and the working days a unit has to answer a problem (default deadline, and
# the new deadline at each escalation).
DISPATCH_DEFAULT_CUTOFF_DAY = int(os.environ.get("DISPATCH_DEFAULT_CUTOFF_DAY", "30"))
DISPATCH_PROBLEM_DEADLINE_WORKING_DAYS = int(os.environ.get("DISPATCH_PROBLEM_DEADLINE_WORKING_DAYS", "5"))
# Briefings (领导月报): the day of the month last month's leader reports are generated and sent.
BRIEFINGS_SEND_DAY = int(os.environ.get("BRIEFINGS_SEND_DAY", "5"))
# Excel imports: the largest workbook accepted (bytes, checked before it is opened), and the most
# filled rows (title and header included) of the key-project list and of each catalogue sheet; a
# sheet is read no further than row 10 × that. A city's list (a few hundred to two thousand
# projects) and its catalogue (a few thousand matters, each with several materials and form
# fields) fit well within them.
EXCEL_IMPORT_MAX_BYTES = int(os.environ.get("EXCEL_IMPORT_MAX_BYTES", str(5 * 1024 * 1024)))
PROJECTS_IMPORT_MAX_ROWS = int(os.environ.get("PROJECTS_IMPORT_MAX_ROWS", "5000"))
CATALOGUE_IMPORT_MAX_ROWS = int(os.environ.get("CATALOGUE_IMPORT_MAX_ROWS", "20000"))
# A key-project workbook of more rows than this is imported by a task worker as a job (the page shows
# its progress), not inside the request.
PROJECTS_IMPORT_BACKGROUND_ROWS = env_int("PROJECTS_IMPORT_BACKGROUND_ROWS", 300)
# Fees (一单收费): the payment providers a bill may be paid through (name → class path; a real 非税收入
# platform or bank plugs in here, its secrets read from its own environment variables), and the HMAC
# secret of the simulated provider's signed callbacks (a development default only with DEBUG).
FEES_PAYMENT_PROVIDERS: dict[str, str] = json.loads(os.environ.get("FEES_PAYMENT_PROVIDERS") or "{}") or {
    "simulated": "onewindow.fees.payments.simulated.SimulatedProvider"
}
FEES_SIMULATED_SECRET = os.environ.get("FEES_SIMULATED_SECRET", "") or (
    "insecure-simulated-payments-secret-only-for-debug" if DEBUG else ""
)

# The leaders' analysis (onewindow/analytics/figures): the online share (网上办理率) a centre aims at.
ANALYTICS_ONLINE_TARGET = float(os.environ.get("ANALYTICS_ONLINE_TARGET", "0.8"))
# The columnar copy the analysis pages read (onewindow/analytics/facts, docs/adr/0005): Parquet files refreshed
# by the periodic job `analytics.facts_refresh`, read with DuckDB; the threads DuckDB may use (0: one per CPU).
ANALYTICS_FACTS_DIR = Path(os.environ.get("ANALYTICS_FACTS_DIR") or VAR_DIR / "analytics")
ANALYTICS_DUCKDB_THREADS = int(os.environ.get("ANALYTICS_DUCKDB_THREADS") or 0)
# The periodic job keeps a copy only from this many cases on (below it the operational tables answer fast).
ANALYTICS_FACTS_MIN_CASES = int(os.environ.get("ANALYTICS_FACTS_MIN_CASES") or 10_000)
