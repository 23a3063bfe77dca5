import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path) -> None:
    """Uploaded and generated images of each test go to a folder of their own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def on_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (set DATABASE_URL): row locks and SKIP LOCKED")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords:
            item.fixturenames.append("on_postgresql")
