"""Settings for every environment, read from environment variables through one ``env``.

Production differs from development only through the environment: see README.md,
"Configuration". The embedded default needs no server: SQLite under ``var/`` and Celery's
filesystem broker.
"""

import sys
from pathlib import Path

import environ
from csp.constants import NONE, SELF, UNSAFE_INLINE
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# The .env file first, so that every variable below, VAR_DIR included, may come from it; a
# variable set in the environment wins over the file.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# Everything the embedded mode writes: the SQLite file, uploads, Celery's filesystem broker,
# beat's schedule. Settings only name these folders; the processes that write there create
# them (config/runtime.py), so importing the settings writes nothing.
VAR_DIR = Path(env.str("VAR_DIR", default=str(BASE_DIR / "var")))

# ---------------------------------------------------------------------------
# Core
# ---------------------------------------------------------------------------
DEBUG = env.bool("DEBUG", default=False)
# Commands that only read the code (no request served, no personal data read or written) run
# without the production keys, so that a fresh checkout can lint, check its migrations and
# build its schema; everything else — the web, the worker, beat, migrate, load_demo — refuses.
CODE_ONLY_COMMANDS = {"check", "makemigrations", "spectacular", "makemessages",
                      "compilemessages", "help", "showmigrations", "sqlmigrate"}
_CODE_ONLY = (Path(sys.argv[0]).name == "manage.py" and len(sys.argv) > 1
              and sys.argv[1] in CODE_ONLY_COMMANDS and "--deploy" not in sys.argv)
# The development key serves only with DEBUG=1 (`make run`); without DEBUG the app refuses to
# start unless SECRET_KEY is set to something else (README, "Configuration").
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
SECRET_KEY = env.str("SECRET_KEY",
                     default=DEVELOPMENT_SECRET_KEY if DEBUG or _CODE_ONLY else "")
if not DEBUG and not _CODE_ONLY and SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "SECRET_KEY must be set (and not to the development key) when DEBUG is off; "
        "for local development set DEBUG=1.")
# Personal data at rest (core.crypto): Fernet keys, newest first, and the search-hash key.
# Derived from the development SECRET_KEY with DEBUG on; required otherwise.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])
PERSONAL_DATA_HASH_KEY = env.str("PERSONAL_DATA_HASH_KEY", default="")
if not DEBUG and not _CODE_ONLY and not (FIELD_ENCRYPTION_KEYS and PERSONAL_DATA_HASH_KEY):
    raise ImproperlyConfigured(
        "FIELD_ENCRYPTION_KEYS and PERSONAL_DATA_HASH_KEY must be set when DEBUG is off "
        "(README, \"Configuration\"); for local development set DEBUG=1.")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_fsm",
    "core.axes_app.AxesConfig",  # django-axes, with its admin section named in Chinese
    "health_check",
    "csp",
    # Ours, in dependency order (see README, "Architecture")
    "core",
    "inbox",
    "grid",
    "casework",
    "disputes",
    "petitions",
    "outreach",
    "legalaid",
    "supervision",
    "cadence",
    "reporting",
    "imports",
    "ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "core.middleware.RequestSizeLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The project's 404 page also with DEBUG on (the demo of `make run`).
    "core.middleware.ProjectNotFoundPageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # A database error in a view answers 503 in plain words (core/middleware.py).
    "core.middleware.DatabaseUnavailableMiddleware",
    "csp.middleware.CSPMiddleware",
    "core.middleware.IdleSessionTimeoutMiddleware",
    # Last, so that it sees the outcome of authentication (django-axes docs).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "core.context_processors.navigation",
                "inbox.context_processors.unread",
            ],
        },
    },
]

# Forms render as Django's templates do, the one-<input> widgets written in Python
# (core.forms.QuickInputRenderer: the same markup, without two templates per input).
FORM_RENDERER = "core.forms.QuickInputRenderer"

# ---------------------------------------------------------------------------
# Database
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-db-url
# ---------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
# A kept connection is checked before each request reuses it (a restarted server is noticed
# instead of failing the request). https://docs.djangoproject.com/en/5.2/ref/databases/#persistent-connections
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Session settings for these short OLTP queries: no JIT compilation (it cost more than
    # the queries themselves on the ledgers).
    # https://www.postgresql.org/docs/15/runtime-config-query.html#GUC-JIT
    pg_options = env.str("PG_OPTIONS", default="-c jit=off")
    if pg_options:
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", pg_options)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share the file: wait for a lock instead of failing at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    # The dashboard's covering indexes (INCLUDE the small grid, for PostgreSQL's index-only
    # counts) are plain indexes on SQLite, which is what this check says on every command.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# ---------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out user is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, the request's user read by one fixed statement (core/auth.py).
    "core.auth.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)  # hours
# Locked per account on one address, and per address across accounts (so that trying many
# usernames from one address is limited too).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_VERBOSE = False
# The client's address: REMOTE_ADDR, unless trusted proxies stand in front (then the address
# they add to X-Forwarded-For). TRUSTED_PROXIES lists their addresses.
# https://django-axes.readthedocs.io/en/latest/4_configuration.html#configuring-reverse-proxies
AXES_IPWARE_PROXY_TRUSTED_IPS = env.list("TRUSTED_PROXIES", default=[])
if AXES_IPWARE_PROXY_TRUSTED_IPS:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

# ---------------------------------------------------------------------------
# Internationalisation: Simplified Chinese first, English second
# ---------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [
    ("zh-hans", "简体中文"),
    ("en", "English"),
]
# The project's catalogues, then Chinese for third-party apps that ship none (django-axes).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# ---------------------------------------------------------------------------
# Static and media files: everything ships with the app, no CDN
# ---------------------------------------------------------------------------
STATIC_URL = "static/"
# collectstatic creates STATIC_ROOT.
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        ),
    },
}

# ---------------------------------------------------------------------------
# Security (production turns these on through the environment)
# ---------------------------------------------------------------------------
# `manage.py check --deploy` is clean when these are on: docker-compose.yml turns them on, a
# server behind a TLS proxy needs nothing else. https://docs.djangoproject.com/en/5.2/ref/settings/
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=False)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=False)
# Trust X-Forwarded-Proto only behind a proxy that sets it (and strips a client's own):
# SECURE_PROXY_SSL_HEADER=1 when such a proxy stands in front.
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env.bool("USE_X_FORWARDED_HOST", default=False)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# Sessions: closed after SESSION_IDLE_TIMEOUT seconds without a request (default 30 minutes,
# core.middleware.IdleSessionTimeoutMiddleware), and at the latest SESSION_COOKIE_AGE after
# the login (default 12 hours), whatever the activity.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_SAVE_EVERY_REQUEST = False
# Django's database sessions, read by one fixed statement (core/sessions.py).
SESSION_ENGINE = "core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# API tokens expire API_TOKEN_TTL seconds after they were issued (default 8 hours);
# core.api.authentication refuses an older one and deletes it.
API_TOKEN_TTL = env.int("API_TOKEN_TTL", default=60 * 60 * 8)

# Content Security Policy (django-csp): scripts and everything else only from the app itself,
# no inline script (behaviour lives in static/js/); inline styles are allowed for the print
# pages and Pico's small style attributes. https://django-csp.readthedocs.io/
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF, "blob:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# ---------------------------------------------------------------------------
# E-mail (console in the embedded default)
# ---------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
if EMAIL_CONFIG.get("EMAIL_BACKEND") == "django.core.mail.backends.console.EmailBackend":
    # One line per message on the console (``make run``): who, subject; not the whole MIME text.
    EMAIL_BACKEND = "core.mail.OneLineConsoleBackend"
DEBUG_TECHNICAL_404 = env.bool("DEBUG_TECHNICAL_404", default=False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="noreply@mediation.local")

# ---------------------------------------------------------------------------
# Celery
# https://docs.celeryq.dev/en/stable/userguide/configuration.html
# Without REDIS_URL / CELERY_BROKER_URL the broker is kombu's filesystem transport under
# var/celery/, so the embedded default needs no server. config/celery.py creates its folders
# when Celery is configured in a process that talks to the broker.
# ---------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
if CELERY_BROKER_URL.startswith("filesystem://"):
    # https://docs.celeryq.dev/projects/kombu/en/stable/reference/kombu.transport.filesystem.html
    # control_folder holds the exchange tables; unset, kombu writes them to ./control/.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "broker"),
        "data_folder_out": str(VAR_DIR / "celery" / "broker"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
else:
    # A request that hands a task over after its commit must never wait on the broker: one
    # connection attempt of at most a second, no retries (kombu's default retries for
    # seconds). What was not handed over stays in the outbox for the sweep (inbox.outbox).
    # https://docs.celeryq.dev/projects/kombu/en/stable/reference/kombu.html#kombu.Connection.default_channel
    CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 1}
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=1.0)
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task past the soft limit gets SoftTimeLimitExceeded and may clean up; at the hard limit
# its worker process is killed and replaced. Enforced by the prefork pool (the production
# worker); the solo pool of `make run` does not enforce them.
# https://docs.celeryq.dev/en/stable/userguide/workers.html#time-limits
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# Acknowledge a task once it has run, so a task whose worker dies midway runs again rather
# than being lost: every periodic task gives the same result if it runs twice. A task that
# fails, times out or kills its own process is still acknowledged (Celery's defaults for
# task_acks_on_failure_or_timeout and task_reject_on_worker_lost), so it is not run forever.
# One message at a time per process, so a long sweep holds back no other task.
# https://docs.celeryq.dev/en/stable/userguide/tasks.html#Task.acks_late
CELERY_TASK_ACKS_LATE = env.bool("CELERY_TASK_ACKS_LATE", default=True)
CELERY_WORKER_PREFETCH_MULTIPLIER = env.int("CELERY_WORKER_PREFETCH_MULTIPLIER", default=1)

# Each process keeps the scopes it computed, by user, organisation stamp and day (grid/scope.py):
# a request reads one small row instead of the scope rule's five queries.
SCOPE_CACHE = env.bool("SCOPE_CACHE", default=True)
# The home page's dashboard figures are computed once a minute for each set of towns and kept in
# each process's memory (cadence.selectors.dashboard_kept); the page says the time they were
# computed. 0: computed at every visit.
DASHBOARD_KEPT_SECONDS = env.int("DASHBOARD_KEPT_SECONDS", default=60)

# ---------------------------------------------------------------------------
# Cache: Redis when configured, else local memory
# ---------------------------------------------------------------------------
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                          "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The page chrome's parts (templates/base.html, "{% cache ... using='fragments' %}"), kept in
# each process's memory: they are a function of their key (language, menu, badge), so they
# need no invalidation and no Redis. A few KB each; the oldest go when 2,000 are kept. With
# DEBUG on they are not kept, so an edited template shows at once.
CACHES["fragments"] = {
    "BACKEND": ("django.core.cache.backends.dummy.DummyCache" if DEBUG
                else "django.core.cache.backends.locmem.LocMemCache"),
    "LOCATION": "fragments", "TIMEOUT": None, "OPTIONS": {"MAX_ENTRIES": 2000}}
# The dashboard's figures of the current minute (DASHBOARD_KEPT_SECONDS), in each process's
# memory, so a Redis outage leaves the home page as it is. A few KB for each set of towns.
CACHES["figures"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "figures", "TIMEOUT": max(DASHBOARD_KEPT_SECONDS, 1),
    "OPTIONS": {"MAX_ENTRIES": 500}}

# ---------------------------------------------------------------------------
# Django REST framework and the OpenAPI schema
# https://www.django-rest-framework.org/api-guide/settings/
# https://drf-spectacular.readthedocs.io/en/latest/settings.html
# ---------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "core.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "core.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "乡镇矛盾纠纷调解 API / Township dispute mediation API",
    "DESCRIPTION": "“3+3”机制的案件管理接口。Case management for the \"3+3\" mechanism.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI and ReDoc served from the app itself (intranets are often offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "core.api.schema.document_errors",
    ],
    # One schema name per choice set: several models have a "state", "kind" or "category".
    # https://drf-spectacular.readthedocs.io/en/latest/settings.html
    "ENUM_NAME_OVERRIDES": {
        "DisputeState": "disputes.states.DisputeState",
        "DisputeCategory": "disputes.states.DisputeCategory",
        "ReferralTarget": "disputes.states.ReferralTarget",
        "PriorityGroup": "core.priority.PriorityGroup",
        "AgreementKind": "disputes.models.MediationAgreement.Kind",
        "PartyRole": "disputes.models.Party.PartyRole",
        "TerminationReason": "disputes.states.TerminationReason",
        "RespondentConsent": "disputes.states.RespondentConsent",
        "RightsNoticeMethod": "disputes.states.RightsNoticeMethod",
        "ConfirmationResult": "disputes.states.ConfirmationResult",
        "PetitionState": "petitions.states.PetitionState",
        "PetitionKind": "petitions.states.PetitionKind",
        "ReplyResult": "petitions.states.ReplyResult",
        "ThreeInPlaceCategory": "petitions.states.ThreeInPlaceCategory",
        "DeliveryMethod": "petitions.states.DeliveryMethod",
        "Evaluation": "casework.states.Evaluation",
        "ApplicationState": "outreach.states.ApplicationState",
        "SmsStatus": "outreach.states.SmsStatus",
        "SmsRecipientKind": "outreach.states.SmsRecipientKind",
        "NoticeState": "supervision.states.NoticeState",
        "NoticeKind": "supervision.states.NoticeKind",
        "StaffRole": "grid.models.Role",
        "ImportKind": "imports.models.ImportKind",
        "ImportState": "imports.models.ImportState",
        "AvertedRisk": "disputes.states.AvertedRisk",
        "StatisticsReportState": "reporting.states.ReportState",
        "ReportPeriodKind": "reporting.states.PeriodKind",
        "BulletinState": "reporting.states.BulletinState",
        "BulletinKind": "reporting.states.BulletinKind",
    },
}

# ---------------------------------------------------------------------------
# Logging
# ---------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"forbidden_without_traceback": {"()": "core.logging.ForbiddenWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler",
                             "filters": ["forbidden_without_traceback"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}

# ---------------------------------------------------------------------------
# The product
# ---------------------------------------------------------------------------
SITE_TITLE = _("乡镇矛盾纠纷多元化解平台")
DEMO_PASSWORD = "demo12345"
MAX_UPLOAD_MB = env.int("MAX_UPLOAD_MB", default=10)
# Imports of a town's own registers (.xlsx / .csv): the largest file taken, and the number of
# rows above which the worker commits it while the page shows its progress.
IMPORT_MAX_MB = env.int("IMPORT_MAX_MB", default=40)
IMPORT_WORKER_ROWS = env.int("IMPORT_WORKER_ROWS", default=2000)
# Ledger exports of more rows than this are written on the worker (core.export_jobs) while
# the page shows their progress; smaller ones stream in the request.
EXPORT_IN_REQUEST_UP_TO = env.int("EXPORT_IN_REQUEST_UP_TO", default=5000)
# Days a file written on the worker stays downloadable; beat's core-export-files-purge then
# deletes it and marks the job expired (the job itself is kept: who exported what, when).
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)
# The whole request (all its files together), core.middleware.RequestSizeLimitMiddleware.
MAX_REQUEST_MB = env.int("MAX_REQUEST_MB", default=25)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
# SMS (inbox.sms): console:// prints the messages; http(s)://KEY:SECRET@host/path is a signed
# HTTP gateway. Quiet hours (local time) hold messages that are not urgent until they end.
SMS_URL = env.str("SMS_URL", default="console://")
# The signature of messages not about one town (a county user's alerts).
SMS_DEFAULT_SIGN = env.str("SMS_DEFAULT_SIGN", default="调解平台")
SMS_QUIET_START = env.int("SMS_QUIET_START", default=22)
SMS_QUIET_END = env.int("SMS_QUIET_END", default=7)
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=5)
SMS_RETRY_DELAY = env.int("SMS_RETRY_DELAY", default=60)
# The public pages (/q/, /apply/): look-ups allowed per code or phone and per address in
# an hour; more answer 429.
PUBLIC_LOOKUPS_PER_HOUR = env.int("PUBLIC_LOOKUPS_PER_HOUR", default=10)
PUBLIC_ADDRESS_PER_HOUR = env.int("PUBLIC_ADDRESS_PER_HOUR", default=30)
