"""Tsunagu settings: one file, driven by environment variables (see the README's table)."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_db, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("TSUNAGU_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY: required when DJANGO_DEBUG is off "
            '(make one with: python -c "import secrets; print(secrets.token_urlsafe(64))")'
        )
    SECRET_KEY = "insecure-development-key-only-for-DJANGO_DEBUG-true-never-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])
for _origin in CSRF_TRUSTED_ORIGINS:
    if not _origin.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"DJANGO_CSRF_TRUSTED_ORIGINS: each origin needs its scheme, got {_origin!r}"
        )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "guardian",
    "axes",
    "simple_history",
    "casework",
    "referrals",
    "outreach",
    "django_celery_beat",
    "indicators",
    "returns",
    "rights",
    "reminders",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "security",
    "directory",
    "bench",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "casework.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "security.middleware.RequestContextMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "casework.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "security.middleware.SecondFactorMiddleware",
    "casework.middleware.RequestInputMiddleware",
    "casework.middleware.SessionLifetimeMiddleware",
    "casework.accounts.PasswordChangeRequiredMiddleware",
    "casework.middleware.PrivateResponseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    # Innermost: the page it puts in place of an empty 405 gets every header the
    # middleware above adds (X-Frame-Options, CSP, Cache-Control).
    "casework.middleware.MethodNotAllowedPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Form widgets render through the project's templates (templates/django/forms/ first).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
                "casework.context_processors.staff",
                "security.context_processors.security",
            ],
            # {% jdate %}, {% form_once %}, … in every template without a {% load %}.
            "builtins": ["casework.templatetags.tsunagu"],
        },
    },
]

DATABASES = {"default": env_db("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # The demo's web server, worker and beat share one file: writers take the lock at the
    # start of a transaction (no deadlock on upgrade) and readers do not block them (WAL).
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL;",
    }
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # No JIT for the app's own connections: its queries are short, and PostgreSQL's cost
    # estimate of the visibility filter made it JIT-compile everyday lists (124 of 131 ms
    # of the triage queue). Set per connection, so no role or server change is needed.
    # No parallel workers by default either: for the pages' few-millisecond queries the
    # planner's parallel plans cost more in starting workers than they save (the access log
    # filtered by a worker: 14 ms with two workers, 4 ms without), and on a two-core server
    # under load they take the cores other requests are waiting for.
    # DATABASE_PARALLEL_WORKERS sets max_parallel_workers_per_gather where that differs.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    parallel = env_int("DATABASE_PARALLEL_WORKERS", 0, minimum=0)
    options["options"] = (
        f"{options.get('options', '')} -c jit=off -c max_parallel_workers_per_gather={parallel}"
    ).strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_url("REDIS_URL", "", ("redis", "rediss"))
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "tsunagu",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# The ward's directory (LDAP / Active Directory), when configured: config/directory_settings.py
# (DIRECTORY_BACKENDS is empty otherwise). Local accounts stay for the embedded default and
# for emergencies.
from config.directory_settings import *  # noqa: E402, F403
from config.directory_settings import DIRECTORY_BACKENDS  # noqa: E402

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    *DIRECTORY_BACKENDS,
    # Django's ModelBackend, refusing a local password for a directory user.
    "directory.local.LocalAccountBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "casework:home"
LOGOUT_REDIRECT_URL = "login"

# Guardian: no anonymous user row, and object permissions live in direct foreign-key tables.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

# Login throttling: a locked account unlocks itself after the cool-off.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A failed try during a lockout must not restart the cool-off, or a locked worker (or
# someone typing their name) could keep the lock forever.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind the ward's TLS proxy the client is the address the proxy appended last to
# X-Forwarded-For; otherwise REMOTE_ADDR. Never a value the client alone controls.
BEHIND_TLS_PROXY = env_bool("DJANGO_BEHIND_TLS_PROXY", False)
AXES_CLIENT_IP_CALLABLE = "config.client_ip.client_ip"
AXES_VERBOSE = False

# Throttling by address across user names (password spraying: security/throttle.py): an
# address whose failed sign-ins in the last SECURITY_SPRAY_MINUTES name this many different
# user names is paused for that long. Behind one NAT the ward's offices share an address:
# the limit is for many names, never for one worker mistyping.
SECURITY_SPRAY_USERNAMES = env_int("SECURITY_SPRAY_USERNAMES", 10, minimum=2)
SECURITY_SPRAY_MINUTES = env_int("SECURITY_SPRAY_MINUTES", 15, minimum=1)

# The second factor (security/factor.py): the roles that must sign in with an authenticator
# app's code. "all" (the default): every role and the system admins; "none": nobody (the
# embedded demo: `make run` sets it, and the login page says so); or a comma-separated list
# of csw, consultation, supervisor, agency_admin, indicator_officer, system_admin.
_FACTOR_ROLES = ("csw", "consultation", "supervisor", "agency_admin", "indicator_officer")
_FACTOR_ALL = (*_FACTOR_ROLES, "system_admin")
_factor_setting = env_list("TSUNAGU_SECOND_FACTOR_ROLES", ["all"])
if _factor_setting == ["all"]:
    TSUNAGU_SECOND_FACTOR_ROLES = frozenset(_FACTOR_ALL)
elif _factor_setting == ["none"]:
    TSUNAGU_SECOND_FACTOR_ROLES = frozenset()
else:
    _unknown = sorted(set(_factor_setting) - set(_FACTOR_ALL))
    if _unknown:
        raise ImproperlyConfigured(
            "TSUNAGU_SECOND_FACTOR_ROLES: expected all, none or roles among "
            f"{', '.join(_FACTOR_ALL)}; unknown: {', '.join(_unknown)}"
        )
    TSUNAGU_SECOND_FACTOR_ROLES = frozenset(_factor_setting)
TSUNAGU_SECOND_FACTOR_EVERY_ROLE = frozenset(_FACTOR_ALL) == TSUNAGU_SECOND_FACTOR_ROLES
# The name the authenticator app shows beside the code.
OTP_TOTP_ISSUER = env_str("TSUNAGU_OTP_ISSUER", "つなぐ")

# Field history (django-simple-history): a correction's reason may be longer than 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

# Sessions: an idle timeout and an absolute lifetime, both kept by
# casework.middleware.SessionLifetimeMiddleware. The session row itself lives as long as the
# absolute lifetime, so that a form sent after the idle timeout still says whose it was:
# what was typed is kept as that user's draft, then the user signs in again.
SESSION_IDLE_TIMEOUT_MINUTES = env_int("SESSION_IDLE_TIMEOUT_MINUTES", 30, minimum=1)
SESSION_ABSOLUTE_HOURS = env_int("SESSION_ABSOLUTE_HOURS", 10, minimum=1)
# (the row outlives the absolute lifetime by a day: a form left open overnight is still
# known as the user's, and kept as their draft)
SESSION_COOKIE_AGE = (SESSION_ABSOLUTE_HOURS + 24) * 3600
SESSION_SAVE_EVERY_REQUEST = False
# What a user typed and could not save (the session lapsed, a stale CSRF token, a long
# form's autosave) is kept for them alone this long.
DRAFT_HOURS = env_int("DRAFT_HOURS", 24, minimum=1)
# A form sent with a stale CSRF token (signed in again in another tab) keeps what was typed.
CSRF_FAILURE_VIEW = "casework.views.site.csrf_failure"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Transport security: HTTPS-only unless DEBUG. DJANGO_HTTPS=false serves plain HTTP (a trial
# of the compose stack on one machine); never for real data. Behind a TLS-terminating proxy
# set DJANGO_BEHIND_TLS_PROXY=true so its X-Forwarded-Proto header is trusted.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the container health probe speaks plain HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
SECURE_HSTS_PRELOAD = False
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SILENCED_SYSTEM_CHECKS = [
    # Preloading HSTS is a decision for the ward's domain owner, not for the application.
    "security.W021",
]

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("日本語")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Under DEBUG, static files come straight from the app folders (no collectstatic needed).
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG
# Attachments: a folder under the var directory, or an S3-compatible store
# (config/attachment_settings.py, docs/attachments.md).
from config.attachment_settings import ATTACHMENT_MAX_BYTES as ATTACHMENT_MAX_BYTES  # noqa: E402
from config.attachment_settings import attachment_storage  # noqa: E402

# Uploads (the attachment forms: one file each) stop being kept past the size limit, and a
# request carries at most two files (config/attachment_settings.py).
FILE_UPLOAD_HANDLERS = [
    "casework.attachment_files.LimitedUpload",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = 2
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_PERMISSIONS = 0o600

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "attachments": attachment_storage(VAR_DIR),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Celery: Redis in production; with no REDIS_URL, kombu's filesystem transport so that
# background work needs no server at all.
CELERY_BROKER_URL = (
    env_url("CELERY_BROKER_URL", "", ("redis", "rediss", "filesystem"))
    or REDIS_URL
    # The transport ignores the host; naming one spares the log kombu's warning that none
    # was supplied.
    or "filesystem://localhost//"
)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 300, minimum=10)
CELERY_TASK_SOFT_TIME_LIMIT = CELERY_TASK_TIME_LIMIT * 4 // 5
# Redis gives an unacknowledged message to another worker after this many seconds. With
# acks_late a message stays unacknowledged while its task runs, so the timeout must be longer
# than the longest task, or a slow task would be run twice in parallel.
CELERY_VISIBILITY_TIMEOUT = env_int("CELERY_VISIBILITY_TIMEOUT", 3600, minimum=1)
if CELERY_VISIBILITY_TIMEOUT <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "CELERY_VISIBILITY_TIMEOUT must be longer than CELERY_TASK_TIME_LIMIT "
        f"({CELERY_VISIBILITY_TIMEOUT} <= {CELERY_TASK_TIME_LIMIT})"
    )
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        # Its exchange tables: by default kombu writes them to ./control, wherever the
        # process was started.
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem://")
    else {"visibility_timeout": CELERY_VISIBILITY_TIMEOUT}
)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_EXPIRES = None  # no result backend, so no nightly clean-up job
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# One message at a time per process: with acks_late, prefetched messages would wait behind a
# slow task while counting against their visibility timeout.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# Reminders (the reminders app). A claim older than this is released and retried; it must
# be longer than a delivery task may run.
REMINDER_CLAIM_TIMEOUT_SECONDS = env_int(
    "REMINDER_CLAIM_TIMEOUT_SECONDS", CELERY_TASK_TIME_LIMIT + 60, minimum=1
)
if REMINDER_CLAIM_TIMEOUT_SECONDS <= CELERY_TASK_TIME_LIMIT:
    raise ImproperlyConfigured(
        "REMINDER_CLAIM_TIMEOUT_SECONDS must be longer than CELERY_TASK_TIME_LIMIT "
        f"({REMINDER_CLAIM_TIMEOUT_SECONDS} <= {CELERY_TASK_TIME_LIMIT})"
    )
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 5, minimum=1)
# A pending reminder handed to a worker that died is handed out again after this long.
REMINDER_REENQUEUE_SECONDS = env_int("REMINDER_REENQUEUE_SECONDS", 600, minimum=1)
# The address links in reminder e-mails point to, e.g. https://tsunagu.city.example.lg.jp
TSUNAGU_BASE_URL = env_url(
    "TSUNAGU_BASE_URL",
    "http://127.0.0.1:8000"
    if DEBUG
    else f"https://{(ALLOWED_HOSTS or ['localhost'])[0].lstrip('.')}",
    ("http", "https"),
)

# E-mail: SMTP when EMAIL_HOST is set; otherwise, in the local demo, messages are written to
# files under var/mail so nothing leaves the machine.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30, minimum=1)
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = "localhost"
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "tsunagu@localhost")

# Indicators: in any published breakdown, a cell from 1 to k-1 is suppressed.
INDICATORS_SUPPRESSION_K = env_int("INDICATORS_SUPPRESSION_K", 10, minimum=2)
# Every hidden cell's interval, as a reader of every snapshot can narrow it, spans at least
# this many values (and reaches k at its top).
INDICATORS_PROTECTION_WIDTH = env_int("INDICATORS_PROTECTION_WIDTH", 3, minimum=2)

# The requests' deadlines and the retention periods (config/rights_settings.py).
from config.rights_settings import *  # noqa: E402, F403

# Demo data refuses to run with DEBUG off unless forced.
TSUNAGU_DEMO_PASSWORD = env_str("TSUNAGU_DEMO_PASSWORD", "tsunagu-demo-2026")

LOG_LEVEL = env_str("DJANGO_LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"DJANGO_LOG_LEVEL: expected DEBUG, INFO, WARNING, ERROR or CRITICAL, got {LOG_LEVEL!r}"
    )
# The security log's JSON lines also go to the ward's syslog server when this is set:
# "udp://loghost:514", "tcp://loghost:514" or a socket path such as "/dev/log".
_syslog = env_str("SECURITY_SYSLOG", "")
SECURITY_SYSLOG_ADDRESS: tuple[str, int] | str | None = None
SECURITY_SYSLOG_SOCKTYPE = None
if _syslog:
    import socket as _socket
    from urllib.parse import urlsplit as _urlsplit

    if _syslog.startswith("/"):
        SECURITY_SYSLOG_ADDRESS = _syslog
    else:
        _parts = _urlsplit(_syslog)
        try:
            _port = _parts.port or 514
        except ValueError:
            _port = -1
        if _parts.scheme not in ("udp", "tcp") or not _parts.hostname or _port < 1:
            raise ImproperlyConfigured(
                "SECURITY_SYSLOG: expected udp://host:port, tcp://host:port or a socket path, "
                f"got {_syslog!r}"
            )
        SECURITY_SYSLOG_ADDRESS = (_parts.hostname, _port)
        SECURITY_SYSLOG_SOCKTYPE = (
            _socket.SOCK_DGRAM if _parts.scheme == "udp" else _socket.SOCK_STREAM
        )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        "message": {"format": "%(message)s"},
        "syslog": {"format": "tsunagu: %(message)s"},
    },
    # A 403 is one line (who was refused what), not a traceback: config/logging_filters.py.
    "filters": {"one_line_403": {"()": "config.logging_filters.OneLineForbidden"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["one_line_403"],
        },
        # The security log's events, one JSON object per line (security/events.py).
        "security_json": {"class": "logging.StreamHandler", "formatter": "message"},
        **(
            {
                "security_syslog": {
                    "class": "logging.handlers.SysLogHandler",
                    "address": SECURITY_SYSLOG_ADDRESS,
                    "socktype": SECURITY_SYSLOG_SOCKTYPE,
                    "facility": "auth",
                    "formatter": "syslog",
                }
            }
            if SECURITY_SYSLOG_ADDRESS
            else {}
        ),
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own handlers of "django" (a console one under DEBUG, mail_admins) would print
    # the 403's traceback beside the one line: its records go to the root's console only.
    # At INFO at most, as Django keeps it: at DEBUG django.db.backends would print every SQL
    # statement with its parameters, personal data included.
    "loggers": {
        "tsunagu.security": {
            "handlers": [
                "security_json",
                *(["security_syslog"] if SECURITY_SYSLOG_ADDRESS else []),
            ],
            "level": "INFO",
            "propagate": False,
        },
        "django": {
            "handlers": [],
            "level": "INFO" if LOG_LEVEL == "DEBUG" else LOG_LEVEL,
            "propagate": True,
        },
    },
}
