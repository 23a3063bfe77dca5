"""Test settings: the real settings, plus the probe app whose handlers record what they got."""

import os
import uuid
from pathlib import Path

_BASE = Path(__file__).resolve().parent.parent
# A worker started by a test inherits these through the environment, so it shares the test
# run's files and queue, and never takes tasks of another run.
os.environ.setdefault("PASAR_VAR_DIR", str(_BASE / "var" / "test"))
os.environ.setdefault("PASAR_TEST_QUEUE", f"pasar-test-{uuid.uuid4().hex[:8]}")
os.environ.setdefault("DJANGO_ENV", "test")

from config.settings import *  # noqa: E402,F403
from config.settings import DATABASES, INSTALLED_APPS, VAR_DIR  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.probe"]
EVENT_WIRING = "tests.probe.events.HANDLERS"
CELERY_TASK_DEFAULT_QUEUE = os.environ["PASAR_TEST_QUEUE"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not memory, so that a worker process started by a test sees the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test.sqlite3")}

# Uploaded and demo images of a test run stay in a folder of their own.
MEDIA_ROOT = VAR_DIR / "media-test"
