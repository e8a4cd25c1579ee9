"""A standalone LMS-like host that loads credplugin exactly as edx-platform does.

Used by the tests, ``make demo`` and local development. The plugin is not listed in
INSTALLED_APPS: ``get_plugin_apps`` finds it through its ``lms.djangoapp`` entry point and
``add_plugins`` runs its ``plugin_settings`` functions, as in ``lms/envs/common.py``.

Environment:
- ``CREDPLUGIN_HOST_PROJECT``: ``lms.djangoapp`` (default) or ``cms.djangoapp``.
- ``CREDPLUGIN_DATABASE_URL``: ``mysql://user:password@host:port/name``; SQLite otherwise. The
  driver is mysqlclient, as on edx-platform, where it is installed (the integration env), else
  PyMySQL.
- ``CREDPLUGIN_CELERY_BROKER``: a broker URL for a real worker; tasks run eagerly otherwise.
  ``sqla+sqlite:////abs/path/broker.sqlite3`` (kombu's SQLAlchemy transport) needs no server.
- ``CREDPLUGIN_CELERY_TRANSPORT_OPTIONS``: broker transport options as JSON, e.g.
  ``{"visibility_timeout": 5}``.
- ``CREDPLUGIN_HOST_DIR``: where SQLite, uploads and mail go (default ``var/host``).
- ``CREDPLUGIN_EVENT_BUS_URL``: a Redis URL for the platform's event bus (edx-event-bus-redis).
- ``CREDPLUGIN_EVENTS_FROM``: the plugin's setting of that name (``local`` or ``event_bus``).
"""

import json
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

import django
from edx_django_utils.plugins import add_plugins, get_plugin_apps

REPO_ROOT = Path(__file__).resolve().parents[2]
HOST_DIR = Path(os.environ.get("CREDPLUGIN_HOST_DIR", REPO_ROOT / "var" / "host"))
PROJECT_TYPE = os.environ.get("CREDPLUGIN_HOST_PROJECT", "lms.djangoapp")
HOST_DIR.mkdir(parents=True, exist_ok=True)

SECRET_KEY = os.environ.get("CREDPLUGIN_HOST_SECRET_KEY", "credplugin-host-not-for-production")
DEBUG = os.environ.get("CREDPLUGIN_HOST_DEBUG", "") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
ROOT_URLCONF = "tests.host.urls"
PLATFORM_NAME = "credplugin demo academy"
LMS_ROOT_URL = os.environ.get("CREDPLUGIN_HOST_ROOT_URL", "http://127.0.0.1:8000")
SITE_ID = 1
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
USE_I18N = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
STATIC_URL = "/static/"
MEDIA_ROOT = str(HOST_DIR / "media")
MEDIA_URL = "/media/"

# The platform apps the plugin relies on, as edx-platform lists its own.
PLATFORM_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "rest_framework",
    "oauth2_provider",  # django-oauth-toolkit, which edx-platform runs for its OAuth 2.0
    "submissions",
    "workbench",  # the XBlock SDK workbench: the assessment block's scenarios, demo, browser tests
    "tests.host.apps.HostPlatformConfig",
]
INSTALLED_APPS = PLATFORM_APPS + get_plugin_apps(PROJECT_TYPE)

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
            ]
        },
    }
]


LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def _database_from_url(url):
    parsed = urlparse(url)
    if parsed.scheme not in ("mysql", "mariadb"):
        raise ValueError(f"CREDPLUGIN_DATABASE_URL must be mysql://…, not {parsed.scheme}://")
    name = parsed.path.lstrip("/") or "credplugin"
    host = parsed.hostname or "127.0.0.1"
    loopback = host in LOOPBACK_HOSTS
    try:
        import MySQLdb  # noqa: F401, PLC0415  (mysqlclient, edx-platform's driver)

        tls = {"ssl_mode": "DISABLED"} if loopback else {}
    except ImportError:
        # The demo and the unit envs install PyMySQL, which needs no C library to build.
        import pymysql  # noqa: PLC0415

        pymysql.install_as_MySQLdb()
        # PyMySQL builds a TLS context on every connect unless told not to; Celery opens a
        # connection per task, so on loopback that was ~10 % of a worker's CPU.
        tls = {"ssl_disabled": loopback}
    return {
        "ENGINE": "django.db.backends.mysql",
        "NAME": name,
        "USER": unquote(parsed.username or "root"),
        "PASSWORD": unquote(parsed.password or ""),
        "HOST": host,
        "PORT": str(parsed.port or 3306),
        "OPTIONS": {
            "charset": "utf8mb4",
            "isolation_level": "read committed",
            **tls,
        },
        "TEST": {"NAME": f"test_{name}", "CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
    }


_SQLITE_IMMEDIATE = {"transaction_mode": "IMMEDIATE"} if django.VERSION >= (5, 1) else {}

if os.environ.get("CREDPLUGIN_DATABASE_URL"):
    DATABASES = {"default": _database_from_url(os.environ["CREDPLUGIN_DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(HOST_DIR / "host.sqlite3"),
            # The demo's worker process writes to the same file: a write transaction waits
            # for the lock (BEGIN IMMEDIATE, Django 5.1+) instead of failing on upgrade.
            "OPTIONS": {"timeout": 30, **_SQLITE_IMMEDIATE},
            "TEST": {"NAME": os.environ.get("CREDPLUGIN_SQLITE_TEST_NAME") or None},
        }
    }

CELERY_BROKER_URL = os.environ.get("CREDPLUGIN_CELERY_BROKER", "memory://")
CELERY_TASK_ALWAYS_EAGER = "CREDPLUGIN_CELERY_BROKER" not in os.environ
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Broker transport options as JSON: the fault tests shorten Redis's visibility timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = json.loads(
    os.environ.get("CREDPLUGIN_CELERY_TRANSPORT_OPTIONS") or "{}"
)

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = str(HOST_DIR / "mail")
DEFAULT_FROM_EMAIL = "badges@credplugin.invalid"

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if CELERY_BROKER_URL.startswith("redis://"):
    # Worker and web processes share one cache, as on an LMS.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CELERY_BROKER_URL,
        }
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"credplugin": {"handlers": ["console"], "level": "INFO"}},
}

# The platform's Redis event bus (edx-event-bus-redis), as an LMS configures it: every process
# produces COURSE_PASSING_STATUS_UPDATED to the bus, and ``manage.py consume_events -t
# learning-course-passing-status -g <group>`` replays it with ``from_event_bus=True``.
EVENT_BUS_URL = os.environ.get("CREDPLUGIN_EVENT_BUS_URL")
if EVENT_BUS_URL:
    INSTALLED_APPS += ["openedx_events", "edx_event_bus_redis"]
    EVENT_BUS_PRODUCER = "edx_event_bus_redis.create_producer"
    EVENT_BUS_CONSUMER = "edx_event_bus_redis.RedisEventConsumer"
    EVENT_BUS_REDIS_CONNECTION_URL = EVENT_BUS_URL
    EVENT_BUS_TOPIC_PREFIX = "credplugin-host"
    EVENT_BUS_PRODUCER_CONFIG = {
        "org.openedx.learning.course.passing.status.updated.v1": {
            "learning-course-passing-status": {
                "event_key_field": "course_passing_status.course.course_key",
                "enabled": True,
            }
        }
    }
if os.environ.get("CREDPLUGIN_EVENTS_FROM"):
    CREDPLUGIN_EVENTS_FROM = os.environ["CREDPLUGIN_EVENTS_FROM"]

# The XBlock SDK workbench (served under /workbench/). It has no authentication: a workbench
# user id whose name starts with "staff" acts as course staff (xblocks/assessment/identity.py).
WORKBENCH = {"reset_state_on_restart": False, "services": {}}
# Course content with a draft and a published version, which credplugin reads as it reads the
# modulestore's published branch in edx-platform.
CREDPLUGIN_CONTENT_STORE = "tests.host.content.store"
EXCLUDED_XBLOCKS = []

_SETTINGS_TYPE = os.environ.get("CREDPLUGIN_HOST_SETTINGS_TYPE", "common")
add_plugins(__name__, PROJECT_TYPE, "common")
if _SETTINGS_TYPE != "common":
    add_plugins(__name__, PROJECT_TYPE, _SETTINGS_TYPE)
