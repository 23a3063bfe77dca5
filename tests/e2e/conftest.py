"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # sync Playwright beside live_server


def pytest_collection_modifyitems(config, items):
    if not CHROMIUM.exists():
        skip = pytest.mark.skip(reason="Chromium is not installed (apt-get install -y chromium)")
        for item in items:
            if "e2e" in str(item.fspath):
                item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A phone: 360 px wide, touch, Indonesian.
    return {
        **browser_context_args,
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "locale": "id-ID",
    }


@pytest.fixture(scope="session")
def _serialized_database(django_db_setup, django_db_blocker) -> str | None:
    """The database as migrations left it (Wagtail's root, home page and Site included), as
    Django serialized it for serialized rollbacks, read before Playwright starts."""
    from django.db import connection

    return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture(autouse=True)
def _database_as_migrated(_serialized_database, live_server, django_db_blocker):
    """Sync Playwright runs an event loop, and Django then hands this test a new connection
    object without the serialized contents, so the serialized rollback silently restores
    nothing after an earlier test's flush. Restore it here when the pages are missing."""
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Site

    with django_db_blocker.unblock():
        if _serialized_database and not Site.objects.exists():
            # Empty it first: the flush re-made content types that the saved copy holds too.
            call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
            connection.creation.deserialize_db_from_string(_serialized_database)
            # The flush set every sequence back to 1 and the copy came back with its ids:
            # move the sequences past them, or the next page made is id 1 again.
            from django.apps import apps
            from django.core.management.color import no_style

            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
                    cursor.execute(statement)
