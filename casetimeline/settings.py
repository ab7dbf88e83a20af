"""Settings read from the environment (see README "Configuration").

Defaults are safe for a laptop: SQLite and media under ./var, DEBUG off unless asked for.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
    SECRET_KEY = "insecure-local-development-key-do-not-deploy"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # full-text search on PostgreSQL (evidence.search); harmless on SQLite
    "simple_history",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "evidence",
    "evidence.accounts",
]

MIDDLEWARE = [
    # First: every response, the HTTPS redirect included, carries the request id, and every log line names it.
    "evidence.observability.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "evidence.accounts.middleware.TwoFactorMiddleware",
    "evidence.accounts.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a request flagged as locked out into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes sees every authenticate() call first, so the login page and the admin's are throttled alike.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "casetimeline.urls"
WSGI_APPLICATION = "casetimeline.wsgi.application"

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
                "django.template.context_processors.csp",
            ],
        },
    },
]
# Django's form renderer, its commonest widgets drawn in Python (the same HTML, a fraction of the CPU).
FORM_RENDERER = "evidence.forms.renderer.FormRenderer"

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    # IMMEDIATE makes a writer take the lock when its transaction begins, so two concurrent writers
    # queue instead of failing half-way with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"  # stored times are UTC; each matter displays in its own zone
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(VAR_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
# Evidence, exports and kept import uploads: the local folder MEDIA_ROOT by default (one machine); an S3-compatible
# object store when STORAGE_S3_BUCKET is set, so that web and worker processes on any host share them. Credentials come
# from the environment as boto3 reads them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or an instance role).
STORAGE_S3_BUCKET = env.str("STORAGE_S3_BUCKET", default="")
_default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if STORAGE_S3_BUCKET:
    _default_storage = {
        "BACKEND": "evidence.storage.EvidenceS3Storage",
        "OPTIONS": {
            "bucket_name": STORAGE_S3_BUCKET,
            "endpoint_url": env.str("STORAGE_S3_ENDPOINT_URL", default="") or None,  # AWS itself when empty
            "region_name": env.str("STORAGE_S3_REGION", default="") or None,
            "location": env.str("STORAGE_S3_PREFIX", default=""),  # a key prefix, to share a bucket
            # "AES256" or "aws:kms" (with STORAGE_S3_KMS_KEY_ID): asked for on every object written.
            "server_side_encryption": env.str("STORAGE_S3_SSE", default=""),
            "kms_key_id": env.str("STORAGE_S3_KMS_KEY_ID", default=""),
            # Object Lock: each evidence object is retained this many days in this mode (GOVERNANCE or COMPLIANCE)
            # when the bucket has Object Lock on. 0: the bucket's default retention, if any, applies.
            "retention_days": env.int("STORAGE_S3_RETENTION_DAYS", default=0),
            "retention_mode": env.str("STORAGE_S3_RETENTION_MODE", default="GOVERNANCE"),
        },
    }
# Files being taken in or read are spooled here, on each host (default: MEDIA_ROOT/tmp).
SCRATCH_DIR = env.str("SCRATCH_DIR", default="")
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Failed logins (django-axes): an account, and separately an address, is locked after LOGIN_FAILURE_LIMIT failures
# (a wrong password or a wrong second-factor code) for LOGIN_COOLOFF_MINUTES; each further try while locked starts
# the cool-off again. `manage.py axes_reset_username NAME` (or `axes_reset`) unlocks at once.
AXES_FAILURE_LIMIT = env.int("LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("LOGIN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "evidence.accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "evidence.accounts.lockout.client_ip"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "password", "code"]

# Two-factor login (django-otp): optional per user unless REQUIRE_2FA makes every user enrol before anything else.
REQUIRE_2FA = env.bool("REQUIRE_2FA", default=False)
OTP_TOTP_ISSUER = env.str("OTP_ISSUER", default="Case Timeline")
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin lists devices but never shows their secrets

# Who may create matters: "everyone", or the name of a group (superusers always may).
MATTER_CREATORS = env.str("MATTER_CREATORS", default="everyone")

# Invitations to a matter are e-mailed; the link works once, for INVITATION_DAYS.
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)
# EMAIL_URL as django-environ reads it: smtp://user:password@host:587, smtp+tls://…, smtp+ssl://…, consolemail://.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"]}}
if _email["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend":
    MAILERS["default"]["OPTIONS"] = {
        "host": _email["EMAIL_HOST"] or "localhost",
        "port": _email["EMAIL_PORT"] or 25,
        "username": _email["EMAIL_HOST_USER"] or "",
        "password": _email["EMAIL_HOST_PASSWORD"] or "",
        "use_tls": _email.get("EMAIL_USE_TLS", False),
        "use_ssl": _email.get("EMAIL_USE_SSL", False),
        "timeout": 20,
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Case Timeline <case-timeline@localhost>")

# Uploads: large evidence files stream to disk rather than memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
EVIDENCE_MAX_UPLOAD_BYTES = env.int("EVIDENCE_MAX_UPLOAD_BYTES", default=512 * 1024 * 1024)
# The text (and page count) of a file up to this size is read during its upload; a larger file's by a background job,
# in a child process with IMPORT_READ_MAX_MEMORY and EVIDENCE_TEXT_READ_TIMEOUT seconds.
EVIDENCE_TEXT_INLINE_BYTES = env.int("EVIDENCE_TEXT_INLINE_BYTES", default=8 * 1024 * 1024)
EVIDENCE_TEXT_READ_TIMEOUT = env.int("EVIDENCE_TEXT_READ_TIMEOUT", default=600)
# Text extraction refuses a file over these bounds (the upload fails, saying which): a PDF's pages; what a Word or
# Excel file (a ZIP) unpacks to; a workbook's sheets and cells. The inline read takes at most IMPORT_READ_TIMEOUT s.
EVIDENCE_PDF_MAX_PAGES = env.int("EVIDENCE_PDF_MAX_PAGES", default=5_000)
EVIDENCE_OFFICE_MAX_UNPACKED_BYTES = env.int("EVIDENCE_OFFICE_MAX_UNPACKED_BYTES", default=256 * 1024 * 1024)
EVIDENCE_SHEET_MAX_SHEETS = env.int("EVIDENCE_SHEET_MAX_SHEETS", default=200)
EVIDENCE_SHEET_MAX_CELLS = env.int("EVIDENCE_SHEET_MAX_CELLS", default=2_000_000)
# OCR (Tesseract through OCRmyPDF) of scanned PDFs and images, by a background job: at most this many pages, seconds
# per page (a page Tesseract cannot finish is left without text) and seconds in all, and megapixels per image.
OCR_MAX_PAGES = env.int("OCR_MAX_PAGES", default=1_000)
OCR_PAGE_TIMEOUT = env.int("OCR_PAGE_TIMEOUT", default=180)
OCR_TIMEOUT = env.int("OCR_TIMEOUT", default=3_600)
OCR_MAX_IMAGE_MPIXELS = env.int("OCR_MAX_IMAGE_MPIXELS", default=250)
# A document download re-hashes files up to this size before sending; larger ones have their size checked and are
# hashed while they stream (the transfer is cut if they differ). 0: hash every file only while streaming.
EVIDENCE_VERIFY_ON_DOWNLOAD_BYTES = env.int("EVIDENCE_VERIFY_ON_DOWNLOAD_BYTES", default=50 * 1024 * 1024)
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=100_000)
IMPORT_BACKGROUND_ROWS = env.int("IMPORT_BACKGROUND_ROWS", default=2_000)
# Hostile input: every import (events from CSV/XLSX/JSON, documents from a ZIP) and every e-mail is bounded before and
# while it is read, and refused with a message naming the limit and its setting.
IMPORT_MAX_COLUMNS = env.int("IMPORT_MAX_COLUMNS", default=200)  # columns of a sheet or manifest; keys of a JSON file
IMPORT_MAX_CELL_CHARS = env.int("IMPORT_MAX_CELL_CHARS", default=100_000)  # characters in one cell
IMPORT_MAX_JSON_DEPTH = env.int("IMPORT_MAX_JSON_DEPTH", default=32)  # nesting of a JSON file
IMPORT_ZIP_MAX_MEMBERS = env.int("IMPORT_ZIP_MAX_MEMBERS", default=5_000)  # members of a ZIP or XLSX
IMPORT_ZIP_MAX_RATIO = env.int("IMPORT_ZIP_MAX_RATIO", default=100)  # expansion, per member and of the whole archive
IMPORT_XLSX_MAX_UNPACKED_BYTES = env.int("IMPORT_XLSX_MAX_UNPACKED_BYTES", default=256 * 1024 * 1024)
IMPORT_DOCUMENTS_MAX_TOTAL_BYTES = env.int("IMPORT_DOCUMENTS_MAX_TOTAL_BYTES", default=8 * 1024**3)
# A whole-matter archive (import_matter): its members (one per evidence file, plus a few) and its unpacked bytes. Each
# file in it is also bounded by EVIDENCE_MAX_UPLOAD_BYTES and each record (one JSON line) by IMPORT_MAX_BYTES.
ARCHIVE_MAX_MEMBERS = env.int("ARCHIVE_MAX_MEMBERS", default=200_000)
ARCHIVE_MAX_BYTES = env.int("ARCHIVE_MAX_BYTES", default=64 * 1024**3)
# Web-archive files (WARC, WACZ) of captures: the file (a WACZ: what its WARCs unpack to), the length any one record
# may declare, its number of records, and seconds to read it (in a child process with IMPORT_READ_MAX_MEMORY). Each
# capture kept is evidence, so also bounded by EVIDENCE_MAX_UPLOAD_BYTES, and all of them by
# IMPORT_DOCUMENTS_MAX_TOTAL_BYTES.
CAPTURES_MAX_FILE_BYTES = env.int("CAPTURES_MAX_FILE_BYTES", default=4 * 1024**3)
CAPTURES_MAX_RECORD_BYTES = env.int("CAPTURES_MAX_RECORD_BYTES", default=EVIDENCE_MAX_UPLOAD_BYTES)
CAPTURES_MAX_RECORDS = env.int("CAPTURES_MAX_RECORDS", default=50_000)
CAPTURES_READ_TIMEOUT = env.int("CAPTURES_READ_TIMEOUT", default=600)
# The admin's import pages read an upload in a child process with these limits, never in the web process itself.
IMPORT_READ_MAX_MEMORY = env.int("IMPORT_READ_MAX_MEMORY", default=1024 * 1024 * 1024)  # bytes the child may add
IMPORT_READ_TIMEOUT = env.int("IMPORT_READ_TIMEOUT", default=30)  # seconds
EMAIL_MAX_DEPTH = env.int("EMAIL_MAX_DEPTH", default=32)  # MIME nesting of a message
EMAIL_MAX_PARTS = env.int("EMAIL_MAX_PARTS", default=2_000)  # MIME parts of a message
EMAIL_MAX_ATTACHMENTS = env.int("EMAIL_MAX_ATTACHMENTS", default=100)  # attachments of a message

# Background work (exports of large matters, large imports). "immediate" runs a task in the request;
# "database" queues it for `manage.py db_worker --queue-name '*'`.
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
TASKS_BACKEND = env.str("TASKS_BACKEND", default="immediate")
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be one of {sorted(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default", "exports", "imports"]}}
# A running job whose worker has written no progress for this many seconds is marked failed (its worker died). It must
# exceed the longest step that reports nothing: one section of a PDF, a PDF or Word file rendered in one pass, and an
# import's write, whose progress commits only with the import.
JOB_STALE_AFTER = env.int("JOB_STALE_AFTER", default=300)
if JOB_STALE_AFTER < 1:
    raise ImproperlyConfigured(f"JOB_STALE_AFTER must be a number of seconds, at least 1, not {JOB_STALE_AFTER}")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Off DEBUG the app is meant to be served over HTTPS only (`check --deploy` is clean with the defaults).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# A load balancer probes these over plain HTTP (patterns are matched against the path without its leading slash).
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^livez$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31_536_000)
# includeSubDomains and preload bind every other host of the organisation's domain to HTTPS, for years: a
# deployment opts in with these variables, so the checks that only suggest them are silenced.
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
BEHIND_PROXY = env.bool("BEHIND_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_PROXY else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"  # the one exception, the document file shown in the document page, says so itself
# No inline script or style in the app's own pages. The nonce is for the admin's templates, which mark their few
# inline <style> elements with it; it appears in the header only on pages that use it. A downloaded file sets a
# stricter policy of its own (evidence/downloads.py), which the middleware leaves alone.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    # The document viewer's pdf.js runs its parser in a worker, a static file like any other script: no blob: and no
    # eval (it runs with isEvalSupported and useWasm off; static/js/viewer.mjs).
    "worker-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# One line per record on stderr, each naming its request id: readable text by default (`make run`), JSON for a log
# collector with LOG_FORMAT=json. gunicorn's own lines take the same format (deploy/gunicorn.conf.py).
LOG_FORMAT = env.str("LOG_FORMAT", default="text")
LOG_LEVEL = env.str("LOG_LEVEL", default="WARNING").upper()
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "evidence.observability.RequestIdFilter"}},
    "formatters": {
        "text": {"()": "evidence.observability.TextFormatter"},
        "json": {"()": "evidence.observability.JsonFormatter"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own records go through the same handler only, at the same level (its default adds a second, plain
    # handler under DEBUG and keeps INFO).
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}

# The JSON API (evidence/api): API tokens only (`Authorization: Bearer …`, made on the user's API tokens page), so no
# session and no CSRF; JSON in and out, multipart for uploads. Requests are limited per user (every token of a user
# shares the limit) and, for the schema and its docs page (open without a token), per address: API_RATE and
# API_ANON_RATE, as DRF writes rates ("600/minute", "20/second"). DRF counts in the default cache, which is each
# process's own memory.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["evidence.api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["evidence.api.parsers.BoundedJSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["evidence.api.throttling.UserThrottle", "evidence.api.throttling.AnonThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api_user": env.str("API_RATE", default="600/minute"),
        "api_anon": env.str("API_ANON_RATE", default="60/minute"),
    },
    "DEFAULT_PAGINATION_CLASS": "evidence.api.views.base.Pages",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "evidence.api.errors.handle",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Case Timeline API",
    "DESCRIPTION": "Matters, events, documents, citations, actors, issues and exports, with the roles of the pages. "
    "Every write needs a `reason`; a change to a record needs the version it is based on (If-Match).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A change (PATCH) sends only the fields it changes, but always its reason: the schema keeps `reason` required.
    "COMPONENT_SPLIT_PATCH": False,
    "ENUM_NAME_OVERRIDES": {
        "EventKindEnum": "evidence.models.choices.EventKind",
        "EventStatusEnum": "evidence.models.choices.EventStatus",
        "ActorKindEnum": "evidence.models.choices.ActorKind",
        "RoleEnum": "evidence.models.choices.Role",
        "JobKindEnum": "evidence.models.jobs.Job.Kind",
        "JobStateEnum": "evidence.models.jobs.Job.State",
    },
}

# History pages in the admin are for reading; restoring a version goes through the event page (event_revert),
# which records it as a new version with its reason instead of overwriting the row.
SIMPLE_HISTORY_REVERT_DISABLED = True
# A reason is kept whole, however long: it is part of the record.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
