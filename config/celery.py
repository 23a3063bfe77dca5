"""The Celery app: `celery -A config worker --beat`. Its schedule is CELERY_BEAT_SCHEDULE."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("pasar")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
