"""Settings for Newsroom, read from the environment.

With nothing set the site runs for development on SQLite under ``var/``. Production sets ``DJANGO_DEBUG=0``,
``DJANGO_SECRET_KEY``, ``DJANGO_ALLOWED_HOSTS``, ``DATABASE_URL`` and ``REDIS_URL``. ``.env.example`` lists them all.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from newsroom.formats.en import formats as newsroom_formats
from newsroom.s3 import s3_storage

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("NEWSROOM_VAR_DIR", BASE_DIR / "var"))

DEV_SECRET_KEY = "django-insecure-newsroom-development-key-do-not-use-in-production"  # noqa: S105


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Development by default: production must say DJANGO_DEBUG=0 (and then needs a real secret key).
DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not DEBUG and (not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a long random value when DJANGO_DEBUG is off "
        "(the development key is refused). Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )
SECRET_KEY = SECRET_KEY or DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")
CSRF_FAILURE_VIEW = "articles.public.errors.csrf_failure"

INSTALLED_APPS = [
    "newsroom.apps.NewsroomAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "taggit",
    "simple_history",
    "axes",
    "ninja",  # the content API's docs page and its static files (api)
    "pagecache",
    "edge",
    "articles",
    "live",
    "newsletters",
    "about",
    "api",
    "webhooks",
    "websub",
    "interchange",
]

MIDDLEWARE = [
    "newsroom.logs.RequestLogMiddleware",
    "newsroom.middleware.ExplicitCacheControlMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "newsroom.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "edge.middleware.EdgeLifetimeMiddleware",  # no edge keeps a page long while its purges cannot be sent
    "pagecache.middleware.ReaderCacheMiddleware",  # cached reader pages: before sessions, auth and routing
    # Whatever renders (reader pages, the admin, its sign-in) shows times in the site's display time zone.
    "articles.site.middleware.SiteTimeZoneMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "articles.public.middleware.AliasRedirectMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

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
                "articles.site.context_processors.site",
                "newsletters.public.offer.site_state",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Reader queries stop after a page of rows; parallel workers cannot stop early and read the whole index
    # (a rare tag's page: 76 ms in parallel, 3 ms serial at 100,000 articles).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = os.environ.get(
        "NEWSROOM_PG_OPTIONS", "-c max_parallel_workers_per_gather=0"
    )
    # Queries run again and again (every reader page's) are prepared on the server once per connection, which
    # saves PostgreSQL planning them each time. Set 0 behind a pooler that cannot keep prepared statements
    # (PgBouncer in transaction mode).
    if os.environ.get("NEWSROOM_PG_PREPARED", "1") == "1":
        DATABASES["default"]["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 2}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # WAL lets readers and the writer work at once; a busy timeout waits out short locks.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # A file, not memory, so the browser tests' live server threads each get their own connection.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-newsroom.sqlite3")}

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    # Redis failing degrades the site instead of taking it down: reads become misses, writes are dropped,
    # and a short timeout keeps a hung server from holding requests (newsroom/cachebackend.py).
    CACHES = {
        "default": {
            "BACKEND": "newsroom.cachebackend.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT_SECONDS", "0.5")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT_SECONDS", "0.5")),
            },
        }
    }
else:
    # Files, not process memory: every gunicorn worker on this machine sees the same pages and the same
    # invalidation key. Several machines need Redis (REDIS_URL).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("NEWSROOM_CACHE_DIR", str(VAR_DIR / "cache")),
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# Each process also keeps the pages it served lately; they are checked against the shared generation on
# every request, so they are never staler than the shared cache (pagecache/middleware.py).
CACHES["recent"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "newsroom-recent-pages",
    "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("NEWSROOM_PAGE_CACHE_LOCAL_ENTRIES", "200"))},
}
# Each process keeps the page fragments it used lately: their keys name one rendering each, so a copy here is
# never stale (pagecache/fragment_store.py).
NEWSROOM_FRAGMENT_LOCAL_ENTRIES = int(os.environ.get("NEWSROOM_FRAGMENT_LOCAL_ENTRIES", "3000"))

# After the shared cache fails, how long to serve without it before asking it again.
NEWSROOM_CACHE_RETRY_SECONDS = float(os.environ.get("NEWSROOM_CACHE_RETRY_SECONDS", "5"))
# Names this deployment's code in cache keys (pages of an earlier release are never served after a deploy);
# empty: a digest of the code, templates and static files, computed at start.
NEWSROOM_RELEASE = os.environ.get("NEWSROOM_RELEASE", "")

# Whole reader pages for anonymous visitors, in the cache above (0 turns it off).
NEWSROOM_PAGE_CACHE_SECONDS = int(os.environ.get("NEWSROOM_PAGE_CACHE_SECONDS", "600"))
# When a page misses, one process renders it; the others asking for it meanwhile wait up to this long for
# that render instead of rendering it too.
NEWSROOM_RENDER_WAIT_SECONDS = float(os.environ.get("NEWSROOM_RENDER_WAIT_SECONDS", "2"))
# How long a CDN in front may keep a page without asking again (s-maxage); browsers always revalidate.
NEWSROOM_CDN_SECONDS = int(os.environ.get("NEWSROOM_CDN_SECONDS", "30"))

# The apps' settings, from the environment, in this order: each adds to the job queue's schedule of the one before.
from newsroom.settings_edge import *  # noqa: E402, F403
from newsroom.settings_live import *  # noqa: E402, F403
from newsroom.settings_newsletters import *  # noqa: E402, F403

# isort: split
from newsroom.settings_api import *  # noqa: E402, F403

CELERY_BEAT_SCHEDULE_FILENAME = os.environ.get("CELERY_BEAT_SCHEDULE_FILENAME") or str(VAR_DIR / "celerybeat-schedule")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = os.environ.get("DJANGO_LANGUAGE_CODE", "en-us")
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# One way of writing dates and times in the admin (6 Dec 2026, 13:05): Django reads the format module
# (``newsroom.formats``, for English) before its own formats for the language, and the names below where neither
# has one.
FORMAT_MODULE_PATH = ["newsroom.formats"]
DATE_FORMAT = SHORT_DATE_FORMAT = newsroom_formats.DATE_FORMAT
DATETIME_FORMAT = SHORT_DATETIME_FORMAT = newsroom_formats.DATETIME_FORMAT
TIME_FORMAT = newsroom_formats.TIME_FORMAT

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = os.environ.get("DJANGO_MEDIA_URL", "/media/")
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
NEWSROOM_SERVE_MEDIA = env_bool("NEWSROOM_SERVE_MEDIA", False)  # `make serve` only: production's web server does it
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Media on S3-compatible object storage (django-storages): set NEWSROOM_S3_BUCKET and the files go there
# instead of MEDIA_ROOT. NEWSROOM_S3_PUBLIC_URL is where readers fetch them (a CDN, or the bucket's own
# address); without it, the endpoint's address of the bucket is used.
NEWSROOM_S3_BUCKET = os.environ.get("NEWSROOM_S3_BUCKET", "")
NEWSROOM_S3_PUBLIC_URL = os.environ.get("NEWSROOM_S3_PUBLIC_URL", "").rstrip("/")

if NEWSROOM_S3_BUCKET:
    STORAGES["default"] = s3_storage(
        NEWSROOM_S3_BUCKET,
        endpoint_url=os.environ.get("NEWSROOM_S3_ENDPOINT_URL"),
        public_url=NEWSROOM_S3_PUBLIC_URL,
        access_key=os.environ.get("NEWSROOM_S3_ACCESS_KEY_ID"),
        secret_key=os.environ.get("NEWSROOM_S3_SECRET_ACCESS_KEY"),
        region=os.environ.get("NEWSROOM_S3_REGION"),
    )
    if NEWSROOM_S3_PUBLIC_URL:
        MEDIA_URL = NEWSROOM_S3_PUBLIC_URL + "/"
_media = urlsplit(NEWSROOM_S3_PUBLIC_URL)
MEDIA_ORIGIN = f"{_media.scheme}://{_media.netloc}" if _media.netloc else ""

TAGGIT_CASE_INSENSITIVE = True

# A fresh install's site settings; from then on the site's name, address, publisher, language and time
# zone are edited in the admin (articles.models.SiteSettings).
NEWSROOM_SITE_NAME = os.environ.get("NEWSROOM_SITE_NAME", "Newsroom")
NEWSROOM_SITE_URL = os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
NEWSROOM_SITE_DESCRIPTION = os.environ.get(
    "NEWSROOM_SITE_DESCRIPTION", "Independent reporting, updated through the day."
)

# Production logs are JSON, one object a line: requests (newsroom.request), errors (django.request) and the
# editorial record of who published, withdrew or corrected what (newsroom.workflow).
LOG_FORMAT = os.environ.get("NEWSROOM_LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "filters": {"no_request_objects": {"()": "newsroom.logs.DropUnserialisable"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["no_request_objects"]}
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Off unless asked for: gunicorn's own access log, or a load balancer's, usually covers it.
        "newsroom.request": {"level": "INFO" if env_bool("NEWSROOM_REQUEST_LOG", not DEBUG) else "WARNING"},
    },
}

# Security. With DEBUG off everything is on by default; each switch can be turned off from the environment
# (e.g. DJANGO_SECURE_SSL_REDIRECT=0 to serve plain HTTP on loopback for a load test).
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER"):
    # Behind a TLS-terminating proxy that sets it, e.g. "HTTP_X_FORWARDED_PROTO,https".
    SECURE_PROXY_SSL_HEADER = tuple(os.environ["DJANGO_SECURE_PROXY_SSL_HEADER"].split(",", 1))
SESSION_COOKIE_SECURE = env_bool("DJANGO_SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("DJANGO_CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"

# `import_markdown --fetch-images` downloads only from public addresses; hosts named here may resolve to
# private or loopback ones (an intranet picture server, say). Downloads are capped in bytes and seconds.
NEWSROOM_FETCH_ALLOWED_HOSTS = env_list("NEWSROOM_FETCH_ALLOWED_HOSTS")
NEWSROOM_FETCH_MAX_BYTES = int(os.environ.get("NEWSROOM_FETCH_MAX_BYTES", str(20 * 1024 * 1024)))
NEWSROOM_FETCH_TIMEOUT_SECONDS = float(os.environ.get("NEWSROOM_FETCH_TIMEOUT_SECONDS", "15"))
# The editor's live preview: at most this many renderings per user in each period (the browser also waits
# for a pause in typing); more are answered 429 with Retry-After, so that no one keeps the workers busy.
NEWSROOM_PREVIEW_LIMIT = int(os.environ.get("NEWSROOM_PREVIEW_LIMIT", "10"))
NEWSROOM_PREVIEW_PERIOD_SECONDS = int(os.environ.get("NEWSROOM_PREVIEW_PERIOD_SECONDS", "10"))
# ...and at most this many bytes of Markdown per user in each period (rendering time follows the size).
NEWSROOM_PREVIEW_BYTES = int(os.environ.get("NEWSROOM_PREVIEW_BYTES", "2000000"))

# Hosts whose <iframe> embeds article bodies may keep (everything else is removed when Markdown is rendered).
NEWSROOM_EMBED_HOSTS = [
    "www.youtube-nocookie.com",
    "www.youtube.com",
    "player.vimeo.com",
    "www.dailymotion.com",
    "open.spotify.com",
    "w.soundcloud.com",
    "www.openstreetmap.org",
    "datawrapper.dwcdn.net",
    "flo.uri.sh",
]

# Content-Security-Policy (django-csp): scripts and styles only from this site's own files, never inline (the
# admin's own inline bits are moved into stylesheets: templates/admin/change_list.html, admin/articles/*.css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Pictures may also come from the media's own address (object storage on plain http on an intranet).
        "img-src": ["'self'", "data:", "https:", *([MEDIA_ORIGIN] if MEDIA_ORIGIN else [])],
        "frame-src": [f"https://{host}" for host in NEWSROOM_EMBED_HOSTS],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Login protection (django-axes): five failed sign-ins for one user name from one address lock that pair out for
# an hour; an address that fails this many times across user names is locked too (articles/admin/lockout.py).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("NEWSROOM_LOGIN_LOCKOUT_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "articles.admin.lockout.NewsroomAxesHandler"
NEWSROOM_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("NEWSROOM_LOGIN_ADDRESS_FAILURE_LIMIT", "50"))
AXES_LOCKOUT_TEMPLATE = "admin/locked_out.html"
AXES_LOCKOUT_CALLABLE = "articles.admin.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
# Behind a load balancer or proxy, how many of them append to X-Forwarded-For: lockouts and logs then count
# the client's address, not the proxy's (which would lock everyone out at once). 0: use the connection's.
NEWSROOM_TRUSTED_PROXIES = int(os.environ.get("NEWSROOM_TRUSTED_PROXIES", "0"))
AXES_CLIENT_IP_CALLABLE = "newsroom.middleware.client_ip"

# The backup's database format (interchange/exactjsonl.py): loaddata reads it from a file named data.exactjsonl.
SERIALIZATION_MODULES = {"exactjsonl": "interchange.exactjsonl"}

# E-mail: the SMTP server and the sender, from the environment (settings_mail.py).
from newsroom.settings_mail import *  # noqa: E402, F403
