import pytest
from django.db import connection


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


@pytest.fixture
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): row locks and SKIP LOCKED")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords:
            item.fixturenames.append("on_postgresql")
