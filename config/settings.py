"""Settings, read from the environment.

DJANGO_ENV picks the defaults: `development` (the embedded run: SQLite, database search, a
filesystem broker) or `production` (no insecure default survives; a missing SECRET_KEY stops
start-up). Every value below can be overridden by the variable of the same name.
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("PASAR_VAR_DIR", str(BASE_DIR / "var")))

DJANGO_ENV = env_str("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production", "test"}:
    raise ImproperlyConfigured("DJANGO_ENV must be development, production or test")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production")
    SECRET_KEY = "insecure-development-key-never-used-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # ours
    "marketplace",
    "payments",
    "search",
    "webhooks",
    "cms",
    # wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.locales",
    "wagtail.contrib.redirects",
    "wagtail.contrib.sitemaps",
    "wagtail.embeds",
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
    # third party
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Compresses HTML and JSON; WhiteNoise above answers static files (already compressed at
    # collectstatic) before this sees them. BREACH: docs/decisions/0013-compressed-html.md.
    "django.middleware.gzip.GZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "marketplace.campaigns.CampaignMiddleware",  # campaign reach (docs/decisions/0011)
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
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
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# Database: a SQLite file unless DATABASE_URL names another.
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'pasar.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A Celery worker is a second process: SQLite must wait for the lock, not fail at once.
    # IMMEDIATE takes the write lock at BEGIN, so a transaction never fails on upgrading it.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        timeout=20,
        transaction_mode="IMMEDIATE",
        init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The catalog's hot tables sit in memory or on SSD, where a random page costs about what a
    # sequential one does; PostgreSQL's default (4.0) assumes spinning disks and turns the
    # search's GIN bitmap scans (15 ms for 15,000 matches of 100,000) into sequential scans
    # (89 ms). docs/decisions/0008-planner-page-cost.md; PG_RANDOM_PAGE_COST overrides.
    _page_cost = env_str("PG_RANDOM_PAGE_COST", "1.1")
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if "random_page_cost" not in _options.get("options", ""):
        _options["options"] = " ".join(
            filter(None, [_options.get("options", ""), f"-c random_page_cost={_page_cost}"])
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "marketplace.User"
# Sign in with an email address or an Indonesian mobile number.
AUTHENTICATION_BACKENDS = ["marketplace.auth_backends.EmailOrPhoneBackend"]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Indonesian first, English for tourists.
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates read the same everywhere: "Sab, 5 Des 2026 09.00" / "Sat 5 Dec 2026 09:00"
# ({{ value|date:"DATETIME_FORMAT" }}, or DATE_FORMAT for a day).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns when it is missing
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Buyers' transfer proofs (bank documents): outside MEDIA_ROOT, no URL, served by a view
    # that checks access (payments.views.proofs).
    "private": {
        "BACKEND": "payments.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": env_str("PRIVATE_ROOT", str(VAR_DIR / "private"))},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Pasar Kreatif <noreply@pasar.test>")
# A hanging mail server fails the handler (which Celery retries) instead of holding a worker.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)

# Security: strict in production, so that `manage.py check --deploy` has nothing to say.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_HSTS_PRELOAD = PRODUCTION
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
SECURE_REFERRER_POLICY = "same-origin"
# Wagtail's live preview shows the page in a same-origin frame, so DENY would break it.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = [
    "security.W019",
    # CartItem's uniqueness treats NULLs as equal on PostgreSQL; SQLite cannot, and the cart
    # code keeps lines unique itself (marketplace/cart.py merges by key).
    "models.W047",
]

# Wagtail
WAGTAIL_SITE_NAME = "Pasar Kreatif"
WAGTAILADMIN_BASE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")
# The admin speaks the site's languages only: Indonesian unless an editor picks English in their
# account (Wagtail's own list offers "id-id" and 35 others). Wagtail's Indonesian catalog is
# incomplete; locale/id/ fills the gaps (LOCALE_PATHS wins over the apps' catalogs).
WAGTAILADMIN_PERMITTED_LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
WAGTAILADMIN_USER_LOGIN_FORM = "marketplace.forms.admin_login.AdminLoginForm"  # a translated label
# Pages and snippets in Indonesian (the source) and English: Wagtail's own simple translation
# (docs/decisions/0007-page-translation.md).
WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
# No automatic English aliases: an English page exists once an editor translates it (listings
# show each language's own pages, so /en/ never links to an untranslated one).
WAGTAILSIMPLETRANSLATION_SYNC_PAGE_TREE = False
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_IMAGE_FORM_BASE = "cms.forms.ImageForm"  # alt text required
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "txt", "xlsx"]

# REST API
# Throttle counts live in a cache every web process shares: gunicorn runs several, and counts
# kept per process would multiply each limit by their number. Redis when the broker is Redis
# (or API_THROTTLE_REDIS_URL names one), else files under VAR_DIR (one machine, no server).
_BROKER_URL = env_str("CELERY_BROKER_URL", "")
API_THROTTLE_REDIS_URL = env_str(
    "API_THROTTLE_REDIS_URL",
    _BROKER_URL if _BROKER_URL.startswith(("redis://", "rediss://")) else "",
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "throttle": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": API_THROTTLE_REDIS_URL,
            "KEY_PREFIX": "pasar-throttle",
        }
        if API_THROTTLE_REDIS_URL
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "throttle"),
        }
    ),
}
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "config.api_schema.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "config.api.Pagination",
    "PAGE_SIZE": 24,
    # Per client address, counted in CACHES["throttle"] (config.api.SharedCacheThrottle).
    "DEFAULT_THROTTLE_RATES": {
        "checkout": env_str("API_CHECKOUT_RATE", "30/minute"),
        "payments": env_str("API_PAYMENTS_RATE", "20/minute"),
    },
    # The client address is REMOTE_ADDR unless this many proxies of ours sit in front and add
    # X-Forwarded-For; DRF's default (None) believes any X-Forwarded-For a client sends.
    "NUM_PROXIES": env_int("API_NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Pasar Kreatif API",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI served from our own static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Our public API only; Wagtail's admin API is internal to the CMS.
    "PREPROCESSING_HOOKS": ["config.api.public_endpoints_only"],
}

# Celery. Default broker: kombu's filesystem transport, which needs no server.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", "filesystem://")
BROKER_FOLDER = VAR_DIR / "broker"
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("out", "processed", "control"):
        (BROKER_FOLDER / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_FOLDER / "out"),
        "data_folder_out": str(BROKER_FOLDER / "out"),
        "processed_folder": str(BROKER_FOLDER / "processed"),
        "control_folder": str(BROKER_FOLDER / "control"),
        "store_processed": False,
        # How long the worker sleeps when the folder is empty or its prefetch window is full.
        # kombu's default (1 s) is also paid after every task, since a full window waits the
        # whole interval: about one message per second per process. 20 ms costs an idle worker
        # 50 directory listings a second (docs/decisions/0005-prompt-embedded-broker.md).
        "polling_interval": env_int("BROKER_POLLING_MS", 20) / 1000,
    }
    # kombu's filesystem transport with its races closed (config/celery.py).
    CELERY_BROKER_TRANSPORT = "config.celery:FilesystemTransport"
elif CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    # A task that is not acknowledged within this time is delivered again (late ack).
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# When the broker is down, publishing gives up quickly: the outbox sweep sends it later.
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Tasks someone waits on get a queue of their own that every worker also takes from (see
# config/celery.py): applying a payment notification is never queued behind mail.
PROMPT_TASKS = ["payments.provider_event_apply"]
CELERY_TASK_ROUTES = ("config.celery.route_task",)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")

# The event spine: which handlers react to which event lives in config/events.py.
EVENT_WIRING = "config.events.HANDLERS"
OUTBOX_SWEEP_SECONDS = env_int("OUTBOX_SWEEP_SECONDS", 30)
# An event relayed this long ago whose handlers have not all finished is sent again.
OUTBOX_REDELIVER_AFTER_SECONDS = env_int("OUTBOX_REDELIVER_AFTER_SECONDS", 600)
# Search indexing (search/indexing.py): a marked product is indexed this long after the change
# committed (so a burst becomes one bulk write); the sweep catches what no event announced.
SEARCH_INDEX_DELAY_SECONDS = env_int("SEARCH_INDEX_DELAY_MS", 300) / 1000
SEARCH_SWEEP_SECONDS = env_int("SEARCH_SWEEP_SECONDS", 300)
# Outbound webhooks (webhooks/, docs/webhooks.md): each POST waits this long; a failed delivery
# is tried again after 2, 4, 8 ... seconds (at most the maximum), this many attempts in all; a
# subscriber whose last deliveries failed this many times in a row is paused. The sweep sends
# again a pending delivery whose next attempt is this long overdue (a task lost).
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 8)
WEBHOOK_RETRY_BACKOFF_SECONDS = env_int("WEBHOOK_RETRY_BACKOFF_SECONDS", 2)
WEBHOOK_RETRY_BACKOFF_MAX_SECONDS = env_int("WEBHOOK_RETRY_BACKOFF_MAX_SECONDS", 600)
WEBHOOK_PAUSE_AFTER_FAILURES = env_int("WEBHOOK_PAUSE_AFTER_FAILURES", 5)
WEBHOOK_SWEEP_SECONDS = env_int("WEBHOOK_SWEEP_SECONDS", 300)
WEBHOOK_SWEEP_AFTER_SECONDS = env_int("WEBHOOK_SWEEP_AFTER_SECONDS", 900)
CELERY_BEAT_SCHEDULE = {
    "outbox-sweep": {"task": "marketplace.outbox_sweep", "schedule": float(OUTBOX_SWEEP_SECONDS)},
    "orders-expire-due": {"task": "marketplace.orders_expire_due", "schedule": 60.0},
    "payments-reconcile": {"task": "payments.reconcile", "schedule": 60.0},
    "outbox-purge": {"task": "marketplace.outbox_purge", "schedule": 86_400.0},
    "provider-events-purge": {"task": "payments.provider_events_purge", "schedule": 86_400.0},
    "search-index-sweep": {"task": "search.index_sweep", "schedule": float(SEARCH_SWEEP_SECONDS)},
    "cms-publish-scheduled": {"task": "cms.publish_scheduled", "schedule": 60.0},
    "webhooks-deliveries-sweep": {
        "task": "webhooks.deliveries_sweep",
        "schedule": float(WEBHOOK_SWEEP_SECONDS),
    },
}
# Retention: completed events (and their handled rows) and processed provider notifications
# older than this many days are deleted once a day, 1,000 rows per transaction.
OUTBOX_KEEP_DAYS = env_int("OUTBOX_KEEP_DAYS", 30)
PROVIDER_EVENTS_KEEP_DAYS = env_int("PROVIDER_EVENTS_KEEP_DAYS", 180)
RETENTION_PAUSE_SECONDS = 0.05  # between batches, so that waiting checkouts get the lock

# Orders: how long a buyer has to pay before the order expires and gives its stock back.
ORDER_PAYMENT_MINUTES = env_int("ORDER_PAYMENT_MINUTES", 30)

# How the marketplace's checkout API reads payments without importing the payments app.
ORDER_PAYMENTS_READER = "payments.summaries.payments_by_order"
# ...and how the seller dashboard counts the payments a shop has to confirm (a dict of counts).
SHOP_PAYMENTS_TO_CONFIRM_READER = "payments.summaries.shop_payments_to_confirm"
# ...and how the cart and checkout pages learn which shops take only bank transfers.
SHOP_PAYMENT_METHODS_READER = "payments.summaries.payment_methods_for_shops"

# The seller dashboard's offline queue (marketplace.offline): who applies each kind of change.
OFFLINE_CHANGE_APPLIERS = {
    "stock.set": "marketplace.offline.apply_stock_set",
    "order.mark": "marketplace.offline.apply_order_mark",
    "payment.confirm": "payments.offline.apply_payment_confirm",
}

# What `seed_demo` runs after the marketplace's own demo data.
DEMO_SEED_STEPS = [
    "payments.demo.seed_merchant_qris",
    "payments.demo_history.seed_demo_payment_history",
    "cms.demo.seed_promotion_pages",
    "search.demo.seed_search_index",
]

# Search: unset ELASTICSEARCH_URL means the database backend.
ELASTICSEARCH_URL = env_str("ELASTICSEARCH_URL")

# Payments
STRIPE_SECRET_KEY = env_str("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = env_str("STRIPE_WEBHOOK_SECRET", "")
STRIPE_PUBLISHABLE_KEY = env_str("STRIPE_PUBLISHABLE_KEY", "")  # for Stripe.js on the card page
STRIPE_API_BASE = env_str("STRIPE_API_BASE")  # a local stand-in in tests; unset in production
QRIS_SERVER_KEY = env_str("QRIS_SERVER_KEY", "" if PRODUCTION else "development-qris-key")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},  # Wagtail logs two lines per saved image
    },
}
