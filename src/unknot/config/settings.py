"""The one settings module. Everything that differs between machines comes from the environment.

DEBUG defaults to on for development and tests; production sets DJANGO_DEBUG=0 and must then
provide SECRET_KEY and ALLOWED_HOSTS. `make demo` runs with DEBUG off and UNKNOT_DEMO=1
(unknot.demo.run): people see the site's own error pages, on this machine only, over plain HTTP.
"""

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from unknot.config.env import env_bool, env_int, env_list, env_str

PROJECT_DIR = Path(__file__).resolve().parents[3]
DATA_DIR = Path(env_str("UNKNOT_DATA_DIR", str(PROJECT_DIR / "data")))

DEBUG = env_bool("DJANGO_DEBUG", True)
# The local demo: production's pages (no debug page) with a published key, plain HTTP and
# loopback hosts only, so the flag can never make a reachable server insecure.
DEMO = env_bool("UNKNOT_DEMO", False)
LOCAL_HOSTS = ["127.0.0.1", "localhost"]

SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or DEMO):
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-for-the-local-demo-" + "x" * 20

# The secret that signs the audit trail's checkpoints: empty, SECRET_KEY (with a purpose of
# its own). To rotate it, put the old one in the OLD list until verify_audit has signed a
# checkpoint with the new one (docs/audit.md, "Checkpoints").
AUDIT_CHECKPOINT_KEY = env_str("UNKNOT_AUDIT_CHECKPOINT_KEY", "") or SECRET_KEY
AUDIT_CHECKPOINT_OLD_KEYS = env_list("UNKNOT_AUDIT_CHECKPOINT_OLD_KEYS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", LOCAL_HOSTS if DEBUG or DEMO else [])
if DEMO and not set(ALLOWED_HOSTS) <= set(LOCAL_HOSTS):
    raise ImproperlyConfigured(
        "UNKNOT_DEMO=1 serves this machine only: ALLOWED_HOSTS must be local."
    )
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "unknot.accounts",
    "unknot.clinics",
    "unknot.outbox",
    "unknot.documents",
    "unknot.patients",
    "unknot.site",
    "unknot.staffarea",
    "unknot.portal",
    "unknot.paperwork",
    "unknot.booking",
    "unknot.waitlist",
    "unknot.coverage",
    "unknot.records",
    "unknot.plans",
    "unknot.billing",
    "unknot.audit",
    "unknot.api",
    "unknot.fhir",
    "unknot.exports",
    "unknot.breakglass",
    "unknot.demo",  # its commands: demo_load, demo_logins, demo_code
    "unknot.config",  # its commands: url_table, security_table
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
]

# Background work (reminders, emails) runs through Django's tasks framework; the database
# backend keeps the queue in our own database, and `make worker` runs `db_worker`.
TASKS = {
    "default": {
        "BACKEND": env_str("UNKNOT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Retention (docs/retention.md): what `purge_expired` drops, in batches of this many rows.
# Audit events and health records are never purged.
RETAIN_SENT_EMAIL_BODY_DAYS = env_int("UNKNOT_RETAIN_SENT_EMAIL_BODY_DAYS", 30)
RETAIN_FINISHED_TASK_DAYS = env_int("UNKNOT_RETAIN_FINISHED_TASK_DAYS", 14)
# A PDF summary laid out for someone and not asked for again in this many days.
RETAIN_KEPT_SUMMARY_DAYS = env_int("UNKNOT_RETAIN_KEPT_SUMMARY_DAYS", 7)
PURGE_BATCH_ROWS = env_int("UNKNOT_PURGE_BATCH_ROWS", 1000)

MIDDLEWARE = [
    # First, so every response carries it, static files and early refusals included.
    "unknot.config.headers.PermissionsPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Control characters, oversized bodies and BadInput: one 400 (or 413) before any view,
    # in the area's own format (docs/security.md, "Bad input").
    "unknot.config.middleware.BadInputMiddleware",
    "unknot.plans.home.moved.MovedFromCareMiddleware",  # /care/... -> /home-programme/...
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, loading the user with the authenticator app the session names (one query).
    "unknot.accounts.session_device.AuthenticationMiddleware",
    "unknot.audit.middleware.AuditContextMiddleware",
    # Break-glass access knows whether the view serving a request is declared to let an
    # emergency opening through (docs/break-glass.md).
    "unknot.breakglass.middleware.BreakGlassMiddleware",
    # Responses to signed-in requests (and intake/booking pages) are never cached.
    "unknot.accounts.middleware.NoStoreMiddleware",
    "unknot.accounts.middleware.IdleSessionMiddleware",
    # Two-factor sign-in: django-otp marks verified sessions; ours closes every other page
    # to a signed-in person who still owes their second factor (docs/sign-in.md).
    "unknot.accounts.session_device.OTPMiddleware",  # django-otp's, see the line above
    "unknot.accounts.middleware.SecondFactorMiddleware",
    # A tablet handed to a patient for their intake can reach nothing but that intake.
    "unknot.records.intake.middleware.TabletLockMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Requests per client on the public pages (docs/security.md, "Fair use"); last, so its
    # 429 page gets every header above and signed-in staff are known (they are not counted).
    "unknot.accounts.request_throttle.RequestThrottleMiddleware",
    # OPTIONS to a page: the methods it takes, for whoever may use it (docs/security.md).
    "unknot.accounts.options.OptionsMiddleware",
]

if not DEBUG:
    # In production static files are collected and served, compressed, by WhiteNoise.
    security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware")
    MIDDLEWARE.insert(security + 1, "whitenoise.middleware.WhiteNoiseMiddleware")

# Request bodies: the largest we take is a FHIR resource (at most 256 KiB, fhir/http.py);
# forms and API calls are a few kilobytes. Larger bodies get a 413, except on the pages that
# take files (an insurance card's images), which declare their own limit (common/uploads.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

ROOT_URLCONF = "unknot.config.urls"
WSGI_APPLICATION = "unknot.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "unknot.site.context.practice",
                "unknot.breakglass.context.emergency_access",
            ],
            # The care core's keys in words, on every template (site/templatetags/labels.py);
            # dates and times in the clinic's zone, US style (site/templatetags/times.py).
            "builtins": ["unknot.site.templatetags.labels", "unknot.site.templatetags.times"],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'unknot.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATA_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone has no data folder yet
    # IMMEDIATE transactions take the write lock at BEGIN, so a booking's overlap
    # re-check and its insert cannot interleave with another writer's.
    DATABASES["default"]["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}
else:
    # No JIT compilation: the staff pages' statements are short, and PostgreSQL's cost guess
    # on a large practice made it compile for 100+ ms to save a few (bench/README.md, scale).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

# A streaming replica of the primary, read by the reports, dashboards and exports while its
# lag is at most REPLICA_MAX_LAG_SECONDS (unknot.common.replica; docs/deploy.md). In tests it
# mirrors the primary's test database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0)
    )
    DATABASES["replica"]["OPTIONS"] = {
        **DATABASES["default"].get("OPTIONS", {}),
        # A replica that does not answer must not hold up the page: the primary answers instead.
        **({"connect_timeout": 2} if DATABASES["replica"]["ENGINE"].endswith("postgresql") else {}),
    }
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["unknot.common.replica.ReplicaRouter"]
REPLICA_MAX_LAG_SECONDS = env_int("REPLICA_MAX_LAG_SECONDS", 5)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "unknot.accounts.backends.UserWithRoleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "site:home"

# Sessions end after inactivity: requests slide the expiry forward (at most once a minute,
# unknot.accounts.middleware.IdleSessionMiddleware; a write on every request costs a query).
STAFF_IDLE_TIMEOUT_MINUTES = env_int("UNKNOT_STAFF_IDLE_MINUTES", 15)
PATIENT_IDLE_TIMEOUT_MINUTES = env_int("UNKNOT_PATIENT_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = 60 * max(STAFF_IDLE_TIMEOUT_MINUTES, PATIENT_IDLE_TIMEOUT_MINUTES)
# However active, a session ends this long after its sign-in (docs/sign-in.md).
STAFF_ABSOLUTE_SESSION_HOURS = env_int("UNKNOT_STAFF_ABSOLUTE_HOURS", 12)
PATIENT_ABSOLUTE_SESSION_HOURS = env_int("UNKNOT_PATIENT_ABSOLUTE_HOURS", 12)

# Failed sign-ins (unknot.accounts.throttle; docs/sign-in.md explains each number).
SIGN_IN_WINDOW_MINUTES = env_int("UNKNOT_SIGN_IN_WINDOW_MINUTES", 60)
SIGN_IN_FREE_FAILURES = env_int("UNKNOT_SIGN_IN_FREE_FAILURES", 5)
SIGN_IN_MAX_DELAY_SECONDS = env_int("UNKNOT_SIGN_IN_MAX_DELAY_SECONDS", 15 * 60)
SIGN_IN_ACCOUNT_LIMIT = env_int("UNKNOT_SIGN_IN_ACCOUNT_LIMIT", 10)
SIGN_IN_ADDRESS_LIMIT = env_int("UNKNOT_SIGN_IN_ADDRESS_LIMIT", 50)
SIGN_IN_TRUSTED_DAYS = env_int("UNKNOT_SIGN_IN_TRUSTED_DAYS", 90)
# Two-factor sign-in: wrong codes in one session before it is signed out.
SECOND_FACTOR_MAX_FAILURES = env_int("UNKNOT_SECOND_FACTOR_MAX_FAILURES", 5)
OTP_TOTP_ISSUER = env_str("UNKNOT_PRACTICE_NAME", "unknot back care")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a device's secret
# Pages for people who are not signed in that still carry health or contact details.
UNKNOT_NO_STORE_PATHS = ["/intake/", "/booking/", "/waitlist/", "/certify/", "/accounts/"]
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("UNKNOT_STATIC_ROOT", str(DATA_DIR / "static")))
# The demo serves static files through WhiteNoise straight from the apps (no collectstatic);
# an empty STATIC_ROOT keeps WhiteNoise from warning that it is missing.
WHITENOISE_USE_FINDERS = DEMO
if DEMO:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG or DEMO
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Django 6.1 mailers. Development and the demo print mail to the console (in the demo, the
# worker's output in the terminal of `make demo`); production speaks SMTP.
MAILERS: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": env_str(
            "EMAIL_BACKEND",
            "unknot.outbox.console.ReadableConsoleBackend"
            if DEBUG or DEMO
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {},
    }
}
if MAILERS["default"]["BACKEND"].endswith("smtp.EmailBackend"):
    MAILERS["default"]["OPTIONS"] = {
        "host": env_str("EMAIL_HOST", "127.0.0.1"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", False),
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "unknot <no-reply@unknot.example>")

# No third-party host anywhere: every script, style, font and image comes from us.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# On every response, the API's documentation page included (unknot.api.schema.DocsView).
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# No page uses these browser features; unknot.config.headers sends the policy on every response.
# Each feature maps to the origins allowed to use it: none. Topics (browsing-topics) too, so
# visits to a health site never feed a browser's advertising interests.
PERMISSIONS_POLICY: dict[str, tuple[str, ...]] = dict.fromkeys(
    (
        "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "hid",
        "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
        "serial", "usb", "xr-spatial-tracking", "browsing-topics",
    ),
    (),
)  # fmt: skip
X_FRAME_OPTIONS = "DENY"

if not DEBUG and not DEMO:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The load balancer's health checks speak plain HTTP to each app server.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("UNKNOT_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates each step of each PDF at INFO (seven lines a document); its warnings
    # (a missing font, a CSS rule it cannot apply) still show.
    "loggers": {"weasyprint.progress": {"level": "WARNING"}},
}

# Absolute links in emails (manage your booking, intake) start with this.
UNKNOT_BASE_URL = env_str("UNKNOT_BASE_URL", "http://127.0.0.1:8000")
BOOKING_HOLD_MINUTES = env_int("UNKNOT_BOOKING_HOLD_MINUTES", 10)
# Fair use of the public calendar (docs/booking.md, "Holds"): a time is held this long until
# the person sends their details; live holds per address; the share of a therapist's free
# start times of a day that holds may take (a therapist's only hold of a day always may).
BOOKING_FIRST_HOLD_MINUTES = env_int("UNKNOT_BOOKING_FIRST_HOLD_MINUTES", 5)
BOOKING_HOLDS_PER_ADDRESS = env_int("UNKNOT_BOOKING_HOLDS_PER_ADDRESS", 3)
BOOKING_HOLD_SHARE_PERCENT = env_int("UNKNOT_BOOKING_HOLD_SHARE_PERCENT", 25)
# Requests per client (an address, or a signed-in patient; staff are not counted) and window,
# per scope; 0 turns a scope off (unknot.accounts.request_throttle; docs/security.md).
REQUEST_THROTTLE_WINDOW_SECONDS = env_int("UNKNOT_THROTTLE_WINDOW_SECONDS", 60)
REQUEST_THROTTLE_LIMITS = {
    "pages": env_int("UNKNOT_THROTTLE_PAGES", 300),
    "hold": env_int("UNKNOT_THROTTLE_HOLD", 60),
    "question": env_int("UNKNOT_THROTTLE_QUESTION", 20),
    "booking_api": env_int("UNKNOT_THROTTLE_BOOKING_API", 300),
    "api": env_int("UNKNOT_THROTTLE_API", 1200),
    "fhir": env_int("UNKNOT_THROTTLE_FHIR", 1200),
}
BOOKING_REMINDER_HOURS = env_int("UNKNOT_BOOKING_REMINDER_HOURS", 24)
# The waitlist (docs/waitlist.md): how many people are offered a freed time at once, and how
# long an offer runs (never past the type's minimum notice before the visit).
WAITLIST_OFFERS_AT_ONCE = env_int("UNKNOT_WAITLIST_OFFERS_AT_ONCE", 3)
WAITLIST_OFFER_MINUTES = env_int("UNKNOT_WAITLIST_OFFER_MINUTES", 120)
# The clinic is emailed this long before a visit whose "call before the visit" is still open.
UNKNOT_CALL_FIRST_ALERT_HOURS = env_int("UNKNOT_CALL_FIRST_ALERT_HOURS", 24)
# How long one break-glass opening of a record lasts (docs/break-glass.md).
BREAK_GLASS_MINUTES = env_int("UNKNOT_BREAK_GLASS_MINUTES", 60)

# Plan certification and progress reports (docs/billing.md): Medicare's numbers by default.
UNKNOT_CERTIFICATION_DAYS = env_int("UNKNOT_CERTIFICATION_DAYS", 30)
UNKNOT_RECERTIFICATION_DAYS = env_int("UNKNOT_RECERTIFICATION_DAYS", 90)
UNKNOT_PROGRESS_REPORT_TREATMENT_DAYS = env_int("UNKNOT_PROGRESS_REPORT_TREATMENT_DAYS", 10)
UNKNOT_CERTIFICATION_LINK_DAYS = env_int("UNKNOT_CERTIFICATION_LINK_DAYS", 30)

# A visit note asks ODI and PSFS again every this many visits (re-assessment).
UNKNOT_REASSESS_EVERY_VISITS = env_int("UNKNOT_REASSESS_EVERY_VISITS", 4)

PRACTICE_NAME = env_str("UNKNOT_PRACTICE_NAME", "unknot back care")

# The REST API (/api/v1/): its views set their own authentication (bearer token, session),
# access rule and error format (unknot.api.views_base); only the schema class is global.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "unknot.api.openapi.ApiAutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "unknot API",
    "DESCRIPTION": "The REST API of unknot, version 1. See docs/api.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "PREPROCESSING_HOOKS": ["unknot.api.openapi.only_this_api"],
    "ENUM_GENERATE_CHOICE_DESCRIPTION": False,
    "ENUM_NAME_OVERRIDES": {
        "AppointmentStatus": "unknot.booking.models.Status",
        "IntakeStatus": "unknot.records.models.IntakeStatus",
        "PlanStatus": "unknot.plans.models.PlanStatus",
        "LogStatus": "unknot.plans.models.LogStatus",
    },
    # Swagger UI's files come from this site (drf-spectacular-sidecar), never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}
