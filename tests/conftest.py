import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path, tmp_path_factory) -> None:
    """Uploaded and generated images of each test go to a folder of their own, and so do the
    private files (transfer proofs), never under it (some tests set MEDIA_ROOT to tmp_path)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    private = {
        **settings.STORAGES["private"],
        "OPTIONS": {"location": tmp_path_factory.mktemp("private")},
    }
    settings.STORAGES = {**settings.STORAGES, "private": private}


@pytest.fixture(autouse=True)
def site_language_after_each_test():
    """A request to /en/ through the test client leaves English active in this thread (Django's
    LocaleMiddleware activates it and nothing resets it); the next test starts in Indonesian."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def cms_frame_per_test(_django_db_marker):
    """Every page's frame (cms.frame: the banner and the footer's settings) is cached, as it is
    in 59 seconds of every minute, so that a test counting a page's queries counts the page's
    own; and it is forgotten after the test, which would otherwise outlive its rolled-back
    banners and settings. (After _django_db_marker: the database is open by then.)"""
    from django.test import RequestFactory
    from django.utils import translation

    from cms.frame import forget_frame, frame_for

    try:
        for language in ("id", "en"):
            with translation.override(language):
                frame_for(RequestFactory().get("/"))
    except RuntimeError:  # a test without the database: nothing to cache
        pass
    yield
    forget_frame()


@pytest.fixture
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): row locks and SKIP LOCKED")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords:
            item.fixturenames.append("on_postgresql")


def _database_group(item) -> tuple[int, bool]:
    """0: tests in a rolled-back transaction, 1: tests that commit (and flush after), 2: no db;
    browser tests last of group 1 (after Playwright's event loop a serialized rollback restores
    nothing, see tests/e2e/conftest.py, so no other committing test should follow them)."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", [])
    browser = item.get_closest_marker("e2e") is not None
    if (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences"))) or (
        "transactional_db" in fixtures or "live_server" in fixtures
    ):
        return (1, browser)
    if marker or "db" in fixtures:
        return (0, browser)
    return (2, browser)


class _KeepDjangoOrder:
    """pytest-django sorts transactional tests after the others, as Django does: a
    transactional test flushes the database when it ends, so a test run after it finds no
    Wagtail root, no Site and no groups. pytest's own fixture reordering (for pytest-playwright's
    session-scoped browser parameter) runs later and can pull browser tests to the front;
    sorting again, last, keeps Django's order."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items) -> None:
        items.sort(key=_database_group)


def pytest_configure(config) -> None:
    config.pluginmanager.register(_KeepDjangoOrder(), "keep-django-order")
