"""Background work of the CMS: publishing what editors scheduled (beat runs it every minute)."""

from __future__ import annotations

from celery import shared_task
from django.core.management import call_command


@shared_task(name="cms.publish_scheduled")
def publish_scheduled() -> None:
    """Pages and snippets whose go-live time has come go live; those past expiry go down."""
    call_command("publish_scheduled", verbosity=0)
