"""Settings, every one read from the environment once, with its type and default.

Each variable is documented in ``.env.example``.
"""

from __future__ import annotations

from datetime import time, timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from backend import object_storage, sqlite_compat

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")), overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
DATABASES = {
    "default": env.db_url(
        "DATABASE_URL", default=f"spatialite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
    )
}
DATABASE_POOL = env.bool("DATABASE_POOL", default=False)
# Throttle counters and the login lockout live in the cache: in production it must be shared by
# every process (redis://...), which `manage.py check --deploy` verifies (backend/throttling.py).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# Keys of this instance in a Redis shared with others (django-environ drops it from the URL).
CACHES["default"]["KEY_PREFIX"] = env.str("CACHE_KEY_PREFIX", default="")
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp = _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            "host": _email.get("EMAIL_HOST") or "localhost",
            "port": _email.get("EMAIL_PORT") or 25,
            "username": _email.get("EMAIL_HOST_USER") or "",
            "password": _email.get("EMAIL_HOST_PASSWORD") or "",
            "use_tls": bool(_email.get("EMAIL_USE_TLS")),
            "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
            "timeout": 20,
        }
        if _smtp
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Nîmes Métropole <noreply@localhost>")
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "var" / "media")))
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
# Uploaded files on the local disk (MEDIA_ROOT, the private originals under
# SIGNALEMENT_PRIVATE_MEDIA_ROOT), or in two buckets with STORAGE=s3 (backend/object_storage.py).
if (_storages := object_storage.storages_setting(env)) is not None:
    STORAGES = _storages
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "var" / "static")))
STATIC_URL = "/static/"
# The staff web app (web/app/): its page is a template, its scripts and CSS static files
# under /static/app/, collected and served like the back-office's.
STATICFILES_DIRS = [("app", BASE_DIR / "web" / "app")]
# The base layer of the back-office maps: an XYZ tile URL, the one thing those maps fetch
# from outside. Empty for no base layer (the geometries alone, on a blank map).
MAP_TILES_URL = env.str("MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MAP_TILES_ATTRIBUTION = env.str("MAP_TILES_ATTRIBUTION", default="© OpenStreetMap contributors")
# The apps' brand (backend/branding.py): name, colours and logo, without touching code.
APP_NAME = env.str("APP_NAME", default="Agglo citoyen")
APP_SHORT_NAME = env.str("APP_SHORT_NAME", default="")
APP_COLOR = env.str("APP_COLOR", default="#000091")
APP_BACKGROUND_COLOR = env.str("APP_BACKGROUND_COLOR", default="#f6f6f6")
APP_LOGO = env.str("APP_LOGO", default="")
TERRITORY_NAME = env.str("TERRITORY_NAME", default="Nîmes Métropole")
FRONTEND_URL = env.str("FRONTEND_URL", default="http://127.0.0.1:8000")
SECURE_SSL = env.bool("SECURE_SSL", default=False)
THROTTLE_ANON = env.str("THROTTLE_ANON", default="300/min")
THROTTLE_USER = env.str("THROTTLE_USER", default="600/min")
THROTTLE_AUTH = env.str("THROTTLE_AUTH", default="20/min")
THROTTLE_CONTACT = env.str("THROTTLE_CONTACT", default="5/hour")
THROTTLE_SIGNALEMENT = env.str("THROTTLE_SIGNALEMENT", default="30/hour")
THROTTLE_CONTRIBUTION = env.str("THROTTLE_CONTRIBUTION", default="30/hour")
THROTTLE_FLAG = env.str("THROTTLE_FLAG", default="30/hour")
# Reverse proxies in front of the server that append the client's address to X-Forwarded-For.
# 0: the header is ignored and REMOTE_ADDR is the client (anyone can write the header).
# N: the N-th address from the end of the header is the client (backend/throttling.py).
TRUSTED_PROXIES = env.int("TRUSTED_PROXIES", default=0)
OPEN311_POSTS_PER_MINUTE = env.int("OPEN311_POSTS_PER_MINUTE", default=60)
# Personal data retention (days): reporters of reports closed that long ago are anonymised;
# contact messages are deleted.
RETENTION_REPORTER_DAYS = env.int("RETENTION_REPORTER_DAYS", default=730)
RETENTION_CONTACT_DAYS = env.int("RETENTION_CONTACT_DAYS", default=365)
# Outgoing emails and notification deliveries, once sent or given up, are deleted that long
# after they were queued; read notifications that long after they were created.
RETENTION_EMAIL_DAYS = env.int("RETENTION_EMAIL_DAYS", default=30)
RETENTION_NOTIFICATION_DAYS = env.int("RETENTION_NOTIFICATION_DAYS", default=365)
LOGIN_LOCKOUT_ATTEMPTS = env.int("LOGIN_LOCKOUT_ATTEMPTS", default=5)
LOGIN_LOCKOUT_SECONDS = env.int("LOGIN_LOCKOUT_SECONDS", default=900)
# Largest request body accepted (5 photos of 20 MB and the form around them).
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=110 * 1024 * 1024)
ACCESS_TOKEN_MINUTES = env.int("ACCESS_TOKEN_MINUTES", default=15)
REFRESH_TOKEN_DAYS = env.int("REFRESH_TOKEN_DAYS", default=30)
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
# Signalements: where unroutable reports go, and whether (and where) photo originals are kept.
SIGNALEMENT_TRIAGE_DIRECTION = env.str(
    "SIGNALEMENT_TRIAGE_DIRECTION", default="nm-developpement-durable"
)
# Public figures are recomputed at most this often per set of filters (0: always live).
STATS_CACHE_SECONDS = env.int("STATS_CACHE_SECONDS", default=300)
SIGNALEMENT_KEEP_ORIGINALS = env.bool("SIGNALEMENT_KEEP_ORIGINALS", default=True)
# A task worker holding a photo this long died: the sweep gives the photo to another.
SIGNALEMENT_PHOTO_LEASE_SECONDS = env.int("SIGNALEMENT_PHOTO_LEASE_SECONDS", default=600)
# Uploads: files over FILE_UPLOAD_MAX_MEMORY_SIZE (Django's 2.5 MB) go to a temporary file
# that the storage then moves into place (a rename when FILE_UPLOAD_TEMP_DIR is on the same
# file system as the private media). Our handlers are Django's, reading 1 MiB chunks.
FILE_UPLOAD_HANDLERS = [
    "signalements.storage.MemoryUploadHandler",
    "signalements.storage.TemporaryUploadHandler",
]
SIGNALEMENT_PRIVATE_MEDIA_ROOT = Path(
    env.str("SIGNALEMENT_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "var" / "private"))
)
# Consultations: the organisation that receives contact messages about no consultation, and how
# long the import of another platform's feed waits for an answer (seconds).
CONTACT_DEFAULT_ORGANISATION = env.str("CONTACT_DEFAULT_ORGANISATION", default="nimes-metropole")
# Flags that hide a contribution until reviewed, unless the organisation sets its own.
MODERATION_FLAG_THRESHOLD = env.int("MODERATION_FLAG_THRESHOLD", default=3)
CONSULTATION_IMPORT_TIMEOUT = env.int("CONSULTATION_IMPORT_TIMEOUT", default=20)

_INSECURE_KEYS = {"", "change-me", "changeme", "secret"}
if not DEBUG:
    if (
        SECRET_KEY in _INSECURE_KEYS
        or SECRET_KEY.startswith("django-insecure")
        or len(SECRET_KEY) < 50
        or len(set(SECRET_KEY)) < 5
    ):
        raise ImproperlyConfigured(
            "SECRET_KEY must be set to a random value of at least 50 characters when DEBUG is off."
        )
    if "*" in ALLOWED_HOSTS or any(host.strip() == "" for host in ALLOWED_HOSTS):
        raise ImproperlyConfigured("ALLOWED_HOSTS may not contain a wildcard when DEBUG is off.")
elif not SECRET_KEY:
    SECRET_KEY = "django-insecure-development-only"

if DATABASES["default"]["ENGINE"] == "django.contrib.gis.db.backends.spatialite":
    sqlite_compat.install()
    # A file, not memory, so that a task worker started by the tests sees the test database.
    _name = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {"NAME": str(_name.with_name(f"test_{_name.name}"))}
    # Web requests, task workers and the scheduler write at the same time. A write-ahead
    # log lets readers go on while one writes; IMMEDIATE transactions take the write lock
    # as they begin, so a writer waits its turn (up to the timeout, in seconds): a deferred
    # transaction that reads then writes fails at once with "database is locked".
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options.setdefault("timeout", 20)
    _options.setdefault("transaction_mode", "IMMEDIATE")
    _options.setdefault("init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
elif DATABASES["default"]["ENGINE"] == "django.contrib.gis.db.backends.postgis" and DATABASE_POOL:
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = True

INSTALLED_APPS = [
    # The back-office with the login lockout and rate limit of the API (backend/admin_site.py).
    "backend.apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.gis",
    "rest_framework",
    "rest_framework_gis",
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    "corsheaders",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "backend",
    "geo",
    "push",
    "signalements",
    "contributions",
]

MIDDLEWARE = [
    "backend.middleware.ApiErrorMiddleware",
    "backend.middleware.RequestSizeLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Compresses last, after the ETag below is computed on the plain body.
    "django.middleware.gzip.GZipMiddleware",
    "backend.caching.CachingMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

# The error shape of each URL prefix, for errors no view answers (backend.middleware).
ERROR_FORMATS = {
    "/api/": "backend.errors.api_error_response",
    "/open311/": "signalements.open311.render.error_response",
}

ROOT_URLCONF = "backend.urls"
WSGI_APPLICATION = "backend.wsgi.application"
ASGI_APPLICATION = "backend.asgi.application"
AUTH_USER_MODEL = "backend.User"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # web/app/index.html, the staff web app's one page, as "app/index.html".
        "DIRS": [BASE_DIR / "web"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    {
        # Plain-text e-mail bodies (backend/mail.py): the same templates, never HTML-escaped.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "NAME": "text",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

# Every way to log in (API tokens, back-office) counts failures and honours the lockout.
AUTHENTICATION_BACKENDS = ["backend.authentication.LockoutModelBackend"]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

if env.bool("FAST_PASSWORD_HASHER", default=False):
    # For test runs only: hashing with PBKDF2 dominates the time of account fixtures.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    # JSON bodies; the views that receive files add the multipart parser themselves.
    "DEFAULT_PARSER_CLASSES": ["backend.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "backend.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Counted per client address as TRUSTED_PROXIES decides, in the shared cache.
    "DEFAULT_THROTTLE_CLASSES": [
        "backend.throttling.AnonRateThrottle",
        "backend.throttling.UserRateThrottle",
    ],
    "NUM_PROXIES": TRUSTED_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "anon": THROTTLE_ANON,
        "user": THROTTLE_USER,
        "auth": THROTTLE_AUTH,
        "contact": THROTTLE_CONTACT,
        "signalement": THROTTLE_SIGNALEMENT,
        "contribution": THROTTLE_CONTRIBUTION,
        "flag": THROTTLE_FLAG,
    },
    "EXCEPTION_HANDLER": "backend.errors.exception_handler",
    "DEFAULT_METADATA_CLASS": "backend.metadata.PlainMetadata",
    "DEFAULT_SCHEMA_CLASS": "backend.schema.AutoSchema",
    "DATETIME_FORMAT": "iso-8601",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=ACCESS_TOKEN_MINUTES),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=REFRESH_TOKEN_DAYS),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": True,
    "SIGNING_KEY": SECRET_KEY,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Agglo citoyen API",
    "DESCRIPTION": "Signalements, concertations et notifications pour les habitants.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "ENUM_NAME_OVERRIDES": {
        "SignalementStatusEnum": "signalements.models.Status",
        "PhotoStatusEnum": "signalements.models.Photo.Status",
        "SignalementEventKindEnum": "signalements.models.SignalementEvent.Kind",
        "OrganisationKindEnum": "backend.models.Organisation.Kind",
        "MembershipRoleEnum": "backend.models.Membership.Role",
        "ConsultationKindEnum": "contributions.models.consultations.Consultation.Kind",
        "ConsultationStatusEnum": "contributions.models.consultations.Status",
        "ActorKindEnum": "contributions.models.actors.Actor.Kind",
        "ContactMessageKindEnum": "contributions.models.contact.ContactMessage.Kind",
        "ContactMessageStatusEnum": "contributions.models.contact.ContactMessage.Status",
        "MeetingRegistrationStatusEnum": "contributions.models.meetings.MeetingRegistration.Status",
        "ContributionKindEnum": "contributions.models.contributions.Contribution.Kind",
        "ContributionStateEnum": "contributions.models.contributions.Contribution.State",
        "OfficialAnswerStatusEnum": "contributions.models.answers.OfficialAnswer.Status",
        "ModerationDecisionActionEnum": "contributions.models.moderation.ModerationDecision.Action",
    },
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Recurring tasks, enqueued by `manage.py scheduler` when due (backend/schedule.py): each
# job names its task by dotted path and runs either "every" period or "daily_at" a local time.
PERIODIC_JOBS = [
    {
        "name": "flush-expired-tokens",
        "task": "backend.tasks.flush_expired_tokens",
        "daily_at": time(3, 0),
    },
    {"name": "apply-retention", "task": "backend.tasks.apply_retention", "daily_at": time(3, 30)},
    # A safety net: retries and rows a dead worker left are sent even if no task wakes.
    {"name": "push-deliver", "task": "push.tasks.deliver", "every": timedelta(minutes=5)},
    {"name": "push-sync-topics", "task": "push.tasks.sync_topics", "every": timedelta(minutes=5)},
    {
        "name": "overdue-summary",
        "task": "signalements.tasks.overdue_summary",
        "daily_at": time(7, 0),
    },
    # Photos a dead worker left processing are taken up again.
    {
        "name": "photos-sweep",
        "task": "signalements.tasks.sweep_photos",
        "every": timedelta(minutes=5),
    },
    # Openings that come with time: the alert goes out within minutes of the opening date.
    {
        "name": "consultations-open-due",
        "task": "contributions.tasks.open_due_consultations",
        "every": timedelta(minutes=5),
    },
]
# The modules that export, erase and expire what an app holds about a person (RGPD), in this
# order (backend/privacy.py): each has ``export(user)``, and may have ``erase(user)`` and
# ``apply_retention(now)``. An app that holds personal data lists its module here.
PRIVACY_MODULES = [
    "backend.privacy",
    "push.privacy",
    "signalements.privacy",
    "contributions.privacy",
]

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
if SECURE_SSL:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31_536_000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

SILENCED_SYSTEM_CHECKS = ["gis.W001"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django.db.backends": {"level": "INFO"},
    },
}

# Push notifications (push/fcm.py): "console" logs, "fcm" sends through firebase-admin.
PUSH_BACKEND = env.str("PUSH_BACKEND", default="console")
FCM_CREDENTIALS_FILE = env.str("FCM_CREDENTIALS_FILE", default="")
FCM_PROJECT_ID = env.str("FCM_PROJECT_ID", default="")
FCM_ENDPOINT = env.str("FCM_ENDPOINT", default="")
# Back-off factor (seconds) of firebase-admin's own quick retries of 500/503 answers.
FCM_RETRY_BACKOFF = env.float("FCM_RETRY_BACKOFF", default=0.5)
PUSH_MAX_ATTEMPTS = env.int("PUSH_MAX_ATTEMPTS", default=6)
PUSH_RETRY_BASE_SECONDS = env.int("PUSH_RETRY_BASE_SECONDS", default=30)
PUSH_CLAIM_LEASE_SECONDS = env.int("PUSH_CLAIM_LEASE_SECONDS", default=300)
# Push messages a worker sends at once (firebase-admin send_each, one thread each; <= 500).
PUSH_SEND_CHUNK = env.int("PUSH_SEND_CHUNK", default=100)
# The themes notification preferences may name (by slug): those of consultations, which
# the alerts of new consultations are matched on. push sits below contributions, so the
# vocabulary is named here rather than imported.
PUSH_THEME_MODEL = "contributions.Theme"
