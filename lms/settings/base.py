"""Settings shared by every environment; configuration comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    return value.strip().lower() not in {"0", "false", "no", "off"}


INSTALLED_APPS = [
    "lms",
    "home",
    "courses",
    "assessments",
    "certificates",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "axes",
    "csp",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
]

MIDDLEWARE = [
    "lms.proxy.TrustedProxyMiddleware",
    # Then /health/ answers before the HTTPS redirect, the host check and the request log.
    "lms.health.HealthCheckMiddleware",
    "lms.request_log.RequestLogMiddleware",
    "lms.middleware.reject_control_characters_middleware",
    "django.middleware.security.SecurityMiddleware",
    "lms.content_policy.ContentPolicyMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a cached anonymous page is answered without them (lms/page_cache.py).
    "lms.page_cache.AnonymousPageCacheMiddleware",
    "lms.page_cache.SessionPageCacheMiddleware",
    "lms.site_cache.WagtailSiteCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "courses.offline.middleware.offline_account_middleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "lms.accounts.sessions.session_policy_middleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "lms.accounts.throttle.trusted_device_middleware",
    # Last: turns a refused sign-in into the page that says when to try again.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
# JSON clients (the trainer's device) get a JSON answer they can act on; pages get Django's.
CSRF_FAILURE_VIEW = "lms.views.csrf_failure"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "lms.context_processors.roles",
                "courses.offline.context.offline",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Databases: one DATABASE_URL, SQLite by default. Persistent connections (checked before reuse)
# save a connection per request; DATABASE_CONN_MAX_AGE=0 opens one per request again.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
        conn_health_checks=env_bool("DATABASE_CONN_HEALTH_CHECKS", True),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several server processes write to one file: WAL lets readers run beside the writer,
    # IMMEDIATE takes the write lock when a transaction starts (so a transaction never fails
    # half-way on a lock it cannot upgrade) and the timeout makes writers queue, not fail.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": int(os.environ.get("SQLITE_BUSY_TIMEOUT", "20")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home:dashboard"
LOGOUT_REDIRECT_URL = "/"

# Content Security Policy (lms/content_policy.py): the site's pages load everything from this
# origin and run no inline code; the admin, whose widgets need inline code, gets the same
# origins with inline code allowed, and the strict policy as report-only beside it.
_STRICT = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "manifest-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "report-uri": ["/csp-report/"],
}
CONTENT_SECURITY_POLICY = {"DIRECTIVES": _STRICT}
ADMIN_CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": _STRICT
    | {
        "script-src": ["'self'", "'unsafe-inline'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "frame-src": ["'self'"],
        "frame-ancestors": ["'self'"],  # the page previews
    }
}
# Powerful browser features nobody here needs, switched off for every page.
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": [],
    "browsing-topics": [],
    "camera": [],
    "display-capture": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "midi": [],
    "payment": [],
    "usb": [],
}

# Sign-in throttling (django-axes, lms/accounts/throttle.py). A username from one client address
# is locked after SIGNIN_FAILURE_LIMIT failures for SIGNIN_LOCKOUT_MINUTES; a username (or an
# address) failing from many places only waits a short cool-down between tries, which a browser
# she signed in with before skips: guessing at someone's name never locks her out, and a
# workshop behind one address is never shut out as a whole. One-time codes go through the same.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "lms.accounts.throttle.CooldownBackend",
    "django.contrib.auth.backends.ModelBackend",
    "lms.accounts.codes.AccountCodeBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("SIGNIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("SIGNIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the time the page gives stays true
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "lms.client_address.sign_in_address"
AXES_LOCKOUT_CALLABLE = "lms.accounts.views.signin_refused"
AXES_DISABLE_ACCESS_LOG = True  # successful sign-ins are in the audit log, without addresses
AXES_SENSITIVE_PARAMETERS = ["secret_code", "new_password1", "new_password2", "csrfmiddlewaretoken"]
AXES_VERBOSE = False
SIGNIN_COOLDOWN_AFTER = int(os.environ.get("SIGNIN_COOLDOWN_AFTER", "10"))
SIGNIN_COOLDOWN_SECONDS = int(os.environ.get("SIGNIN_COOLDOWN_SECONDS", "30"))
SIGNIN_ADDRESS_COOLDOWN_AFTER = int(os.environ.get("SIGNIN_ADDRESS_COOLDOWN_AFTER", "100"))

# Sessions for shared phones (lms/accounts/sessions.py): the cookie ends with the browser, the
# session after this many minutes without a request.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = 12 * 3600
SESSION_IDLE_MINUTES_ACTIVIST = int(os.environ.get("SESSION_IDLE_MINUTES_ACTIVIST", "120"))
SESSION_IDLE_MINUTES_STAFF = int(os.environ.get("SESSION_IDLE_MINUTES_STAFF", "480"))
SESSION_IDLE_MINUTES_SHARED = int(os.environ.get("SESSION_IDLE_MINUTES_SHARED", "15"))

# One-time codes to activate an account or set a new password (lms/accounts/codes.py).
ACCOUNT_PRINTED_CODE_DAYS = int(os.environ.get("ACCOUNT_PRINTED_CODE_DAYS", "30"))
ACCOUNT_EMAILED_LINK_HOURS = int(os.environ.get("ACCOUNT_EMAILED_LINK_HOURS", "24"))
ACCOUNT_RESET_REQUESTS_PER_HOUR = int(os.environ.get("ACCOUNT_RESET_REQUESTS_PER_HOUR", "5"))
# Wagtail's own password reset would be a second way in; the site's serves everybody.
WAGTAIL_PASSWORD_RESET_ENABLED = False

# Spanish (Peru) first, English second. Catalogues live in locale/es.
LANGUAGE_CODE = "es-pe"
LANGUAGES = [("es-pe", _("Spanish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "America/Lima"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "lms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))


def media_storage_from_env(environ) -> dict:
    """The media storage: the MEDIA_ROOT folder, or an S3-compatible bucket when MEDIA_S3_BUCKET
    is set, so that several web machines share certificate PDFs and documents. Credentials
    come from MEDIA_S3_ACCESS_KEY_ID / MEDIA_S3_SECRET_ACCESS_KEY or boto3's usual chain."""
    bucket = environ.get("MEDIA_S3_BUCKET", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": environ.get("MEDIA_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("MEDIA_S3_REGION") or None,
        "location": environ.get("MEDIA_S3_PREFIX", ""),
        "access_key": environ.get("MEDIA_S3_ACCESS_KEY_ID") or None,
        "secret_key": environ.get("MEDIA_S3_SECRET_ACCESS_KEY") or None,
        # Private objects: links are signed and expire; names are never overwritten.
        "default_acl": None,
        "querystring_auth": True,
        "querystring_expire": 3600,
        "file_overwrite": False,
    }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {k: v for k, v in options.items() if v is not None},
    }


STORAGES = {
    "default": media_storage_from_env(os.environ),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Reverse proxies in front (lms/proxy.py): how many append to X-Forwarded-For (0: the header is
# ignored), and the addresses the header is believed from (empty: any, trusting the count).
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Whole pages anonymous visitors read, cached and invalidated on publish (lms/page_cache.py).
ANONYMOUS_PAGE_CACHE_TYPES = frozenset(
    {"home.homepage", "courses.curriculumindexpage", "courses.coursepage", "courses.sessionpage"}
)
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
# Signed-in pages replayed to the same session while no data changed (lms/page_cache.py);
# what depends on the clock is at most this many seconds late.
SESSION_PAGE_CACHE_ROUTES = frozenset(
    {
        "home:dashboard",
        "courses:my_cohorts",
        "courses:cohort_detail",
        "courses:attendance_sheet",
        "courses:my_courses",
        "assessments:analytics",
        "accreditation:index",
        "accreditation:cohort",
    }
)
SESSION_PAGE_CACHE_SECONDS = int(os.environ.get("SESSION_PAGE_CACHE_SECONDS", "60"))
# How often each process checks that its Wagtail site lookup is current (lms/site_cache.py).
SITE_CACHE_CHECK_SECONDS = 1.0

# Absolute links in PDFs and e-mails.
BASE_URL = os.environ.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/")

# Portable credentials (Open Badges 3.0). The Ed25519 private keys are read from the keyring file
# CREDENTIALS_KEY_FILE or, when it is empty, from the environment variable named here; never
# from the database. Development and tests generate a key on first use; production never does.
CREDENTIALS_KEY_FILE = os.environ.get("CREDENTIALS_KEY_FILE", "")
CREDENTIALS_KEY_ENV = "CREDENTIALS_SIGNING_KEYS"
CREDENTIALS_GENERATE_DEV_KEY = False

# Celery: Redis when REDIS_URL is set, otherwise tasks run eagerly in-process.
REDIS_URL = os.environ.get("REDIS_URL", "")
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Periodic jobs: a schedule in code (lms/periodic.py), no database scheduler.
CELERY_BEAT_SCHEDULER = "lms.celery:RegistryScheduler"

# One cache shared by every server process: Redis when REDIS_URL (or CACHE_URL) is set,
# otherwise a table in the database (created by migrate). Never per-process memory, so that
# invalidation on publish, cached pages and counters hold across workers and restarts.
CACHE_URL = os.environ.get("CACHE_URL", REDIS_URL)
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "lms.cache.ResilientRedisCache",  # a Redis outage is not a site outage
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "cem",
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Sessions live in the database and are read through the cache.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cem_cache",
            "KEY_PREFIX": "cem",
            "OPTIONS": {"MAX_ENTRIES": 5000},
        }
    }
    # A cache in the database would only add a query in front of the session's own.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "formacion-cem@localhost")

# Wagtail
WAGTAIL_SITE_NAME = "Formación CEM"
WAGTAILADMIN_BASE_URL = BASE_URL
WAGTAIL_I18N_ENABLED = False
WAGTAILADMIN_PERMITTED_LANGUAGES = [("es", "Español"), ("en", "English")]
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAIL_WORKFLOW_ENABLED = True
WAGTAIL_MODERATION_ENABLED = True
# No avatars from Gravatar: they would send a hash of each staff e-mail to a third party.
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# Logs go to the console (journald or the container collects them); LOG_FORMAT=json writes one
# JSON object per line. lms.request writes one line per request (lms/request_log.py).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text").lower()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "json": {"()": "lms.request_log.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "text",
        }
    },
    # django-axes logs every failed sign-in with its address; the audit log keeps a keyed hash.
    "loggers": {"axes": {"level": "ERROR"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Errors go to Sentry only when SENTRY_DSN is set; no personal data is sent with them.
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        integrations=[DjangoIntegration(), CeleryIntegration()],
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,
    )
