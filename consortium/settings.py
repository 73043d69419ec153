"""Settings for Consortium, read from the environment with safe defaults for a local try-out.

Local (`make run`): SQLite, DEBUG on, a development secret. Production: set DATABASE_URL
(PostgreSQL), SECRET_KEY, DEBUG=0, ALLOWED_HOSTS and the e-mail settings; see README.md.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
_DEV_SECRET = "dev-only-insecure-secret-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET if DEBUG else "")
if not SECRET_KEY:
    raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI's files, served by the app (no CDN)
    "simple_history",
    "axes",
    "mailer",
    "consortium",
    "partners",
    "workpackages",
    "reporting",
    "claims",
    "web",
    "demo",
    "sso",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # A domain refusal that escapes a web view is a 4xx page with its message, never a 500 (web/errors.py).
    "web.errors.DomainErrorMiddleware",
    # Last, as django-axes asks: it turns a flagged lockout into consortium.lockout's response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "consortium.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "consortium.wsgi.application"

# SQLite by default; PostgreSQL (psycopg 3) when DATABASE_URL says so.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock up front, so two writers queue instead of
    # one failing with "database is locked" half-way through a compare-and-swap.
    DATABASES["default"].setdefault("OPTIONS", {}).update({"transaction_mode": "IMMEDIATE", "timeout": 20})

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in brute force: django-axes counts failures per username and address (web login and API
# token alike) and refuses that pair for 15 minutes after the 5th; a success resets the count.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "consortium.lockout.lockout_response"
# The client address is REMOTE_ADDR unless a reverse proxy is declared (AXES_PROXY_COUNT=1): a
# client-sent X-Forwarded-For must not let an attacker pick a fresh address for every guess.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("AXES_PROXY_COUNT", "0")) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR") if AXES_IPWARE_PROXY_COUNT else ("REMOTE_ADDR",)
)

# Single sign-on with OpenID Connect (docs/SSO.md), off unless OIDC_ENABLED. Nothing here reaches the
# provider: endpoints not given below are read from its discovery document at the first sign-in.
OIDC_ENABLED = env_bool("OIDC_ENABLED", False)
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "")
OIDC_PROVIDER_NAME = os.environ.get("OIDC_PROVIDER_NAME", "")
OIDC_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "")
OIDC_USERINFO_ENDPOINT = os.environ.get("OIDC_USERINFO_ENDPOINT", "")
OIDC_JWKS_ENDPOINT = os.environ.get("OIDC_JWKS_ENDPOINT", "")
# Read by mozilla-django-oidc under its own names.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGORITHM", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_AUTHENTICATION_CALLBACK_URL = "sso:callback"
OIDC_TIMEOUT = 10  # seconds for each call to the provider; the library's default waits for ever
if OIDC_ENABLED:
    _missing = [name for name, value in [("OIDC_ISSUER", OIDC_ISSUER), ("OIDC_CLIENT_ID", OIDC_RP_CLIENT_ID),
                                         ("OIDC_CLIENT_SECRET", OIDC_RP_CLIENT_SECRET),
                                         ("OIDC_PROVIDER_NAME", OIDC_PROVIDER_NAME)] if not value]
    if _missing:
        raise RuntimeError(f"OIDC_ENABLED needs {', '.join(_missing)}.")
    # Keys come from the provider's JWKS; a symmetric algorithm would make the client secret the signing key.
    if OIDC_RP_SIGN_ALGO not in {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}:
        raise RuntimeError(f"OIDC_SIGN_ALGORITHM {OIDC_RP_SIGN_ALGO!r} is not an RS or ES algorithm.")
    AUTHENTICATION_BACKENDS.append("sso.backends.ProviderBackend")

# Password-reset mails (consortium/passwords.py): at most this many an hour per e-mail address and
# per account, and this many requests an hour from one client address; past a limit the form answers
# as always but sends nothing.
PASSWORD_RESET_LIMIT = int(os.environ.get("PASSWORD_RESET_LIMIT", "3"))
PASSWORD_RESET_LIMIT_PER_CLIENT = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_CLIENT", "20"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("da", "Dansk"), ("sv", "Svenska")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates in each language's own form ("1. maj 2025", "1 maj 2025"); English as in Europe (consortium/formats).
FORMAT_MODULE_PATH = ["consortium.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    # Uploaded files are served only through permission-checked views, never from a public URL.
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if not DEBUG
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/accounts/login/"

# How mail is delivered: the console while DEBUG is on (`make run` shows each mail at once), SMTP otherwise.
_EMAIL_DELIVERY = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
# Whether mail waits in a queue in the database first (django-mailer), on by default in production: an
# action (submit, approve, invite, a password reset…) then answers as usual whatever the mail server
# does. `manage.py send_mail` sends the queue, a failed send stays in it as deferred, and
# `manage.py retry_deferred` queues those again (README, "Production sketch": the cron lines).
EMAIL_QUEUE = env_bool("EMAIL_QUEUE", not DEBUG)
if EMAIL_QUEUE:
    EMAIL_BACKEND = "mailer.backend.DbBackend"
    MAILER_EMAIL_BACKEND = _EMAIL_DELIVERY
else:
    EMAIL_BACKEND = _EMAIL_DELIVERY
# Every failed attempt is logged (consortium.mail) and the message deferred, never dropped.
MAILER_ERROR_HANDLER = "consortium.mail.handle_delivery_exception"
# The send log keeps who, when and the outcome, not the message itself: invitations and password
# resets carry set-password links.
MAILER_EMAIL_LOG_MESSAGE_DATA = False
# One sender at a time per machine (several senders on several machines share the queue row by row).
MAILER_LOCK_PATH = os.environ.get("MAILER_LOCK_PATH", os.path.join(tempfile.gettempdir(), "consortium-send_mail"))
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "30"))  # seconds; Django's default waits for ever
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Consortium <noreply@consortium.local>")
# Absolute links in e-mails start with this: the address the site is served at (`make run` passes its port).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

# Upload limits (deliverable documents, invoice attachments).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", str(20 * 1024 * 1024)))
# Spreadsheet imports (reporting/imports.py, docs/IMPORT.md): a limit of their own, far below UPLOAD_MAX_BYTES
# (10,000 lines are about 2 MB of CSV or 0.5 MB of XLSX), and an XLSX's declared unpacked size and compression
# ratio, checked before it is parsed (a 4 MB workbook can unpack to 1 GB).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(8 * 1024 * 1024)))
IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("IMPORT_XLSX_MAX_UNCOMPRESSED_BYTES", str(30 * 1024 * 1024)))
IMPORT_XLSX_MAX_COMPRESSION_RATIO = int(os.environ.get("IMPORT_XLSX_MAX_COMPRESSION_RATIO", "100"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

REST_FRAMEWORK = {
    # Token first: an anonymous API call then answers 401 with a WWW-Authenticate header.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "consortium.tokens.TokenAuthentication",  # knox's, in one query a request
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "consortium.api.filters.FilterBackend",  # django-filter's, skipped when no filter is asked for
        "rest_framework.filters.OrderingFilter",
    ],
    # The browsable API without HTML forms, whose drop-downs listed rows beyond the user's projects.
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "consortium.api.renderers.FormlessBrowsableAPIRenderer",
    ],
    "DEFAULT_SCHEMA_CLASS": "consortium.api.schema.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "EXCEPTION_HANDLER": "consortium.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "consortium.api.pagination.Pagination",
    "PAGE_SIZE": 50,
}

# API tokens (django-rest-knox): stored as SHA-512 digests, one per sign-in, revoked by DELETE
# /api/auth/token/ and by a password change or reset (consortium/tokens.py); a token unused for
# API_TOKEN_IDLE_DAYS expires (each use moves its expiry on, at most one write a minute).
# Content-Security-Policy (django-csp): scripts and styles only from this site, no inline script.
# The one inline <style> (Swagger UI's page) carries the request's nonce; style *attributes* stay allowed
# (style-src-attr), as the Gantt charts place each bar with one (grid-column), and an attribute runs no script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "style-src-attr": [UNSAFE_INLINE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
    },
}

REST_KNOX = {
    "TOKEN_TTL": timedelta(days=int(os.environ.get("API_TOKEN_IDLE_DAYS", "30"))),
    "AUTO_REFRESH": True,
    "MIN_REFRESH_INTERVAL": 60,
    "AUTH_HEADER_PREFIX": "Token",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Consortium API",
    "DESCRIPTION": "Work plan, partner reporting and funder reports for multi-partner EU projects.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from drf-spectacular-sidecar (pinned), served by the app: no CDN, nothing at @latest.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name ("role", "status"): name each enum after what it is.
    "ENUM_NAME_OVERRIDES": {
        "PartnerRoleEnum": "partners.models.Partner.PartnerRole",
        "MembershipRoleEnum": "consortium.models.Role",
        "ProjectStatusEnum": "consortium.models.Project.Status",
        "DeliverableStatusEnum": "workpackages.models.Deliverable.Status",
        "ReportStatusEnum": "reporting.models.ProgressReport.Status",
        "ClaimStatusEnum": "claims.models.Claim.Status",
        "CurrencyEnum": "reporting.models.Currency",
        "RiskLevelEnum": "workpackages.models.Risk.Level",
        "RiskStatusEnum": "workpackages.models.Risk.Status",
    },
}

# Production hardening, driven by DEBUG; SECURE_SSL_REDIRECT can be switched off for local
# load tests behind no TLS terminator.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # A load balancer's health probe speaks plain HTTP to the application server.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
    # Django's own loggers would print every 4xx a second time through their default handler.
    "loggers": {"django": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING"),
                           "propagate": False}},
}
