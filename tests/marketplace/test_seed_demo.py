import io

import pytest
from django.core.management import call_command

from marketplace.models import Kecamatan, User

pytestmark = pytest.mark.django_db

TOBA_KECAMATAN = {
    "Ajibata",
    "Balige",
    "Bonatua Lunasi",
    "Borbor",
    "Habinsaran",
    "Laguboti",
    "Lumban Julu",
    "Nassau",
    "Parmaksian",
    "Pintu Pohan Meranti",
    "Porsea",
    "Siantar Narumonda",
    "Sigumpar",
    "Silaen",
    "Tampahan",
    "Uluan",
}


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_makes_toba_and_the_demo_accounts():
    output = seed()
    assert set(Kecamatan.objects.values_list("name", flat=True)) == TOBA_KECAMATAN
    admin = User.objects.get(email="admin@pasar.test")
    assert admin.is_superuser and admin.check_password("demo-admin-123")
    editor = User.objects.get(email="editor@pasar.test")
    assert editor.check_password("demo-editor-123") and not editor.is_superuser
    assert set(editor.groups.values_list("name", flat=True)) == {"Editors", "Moderators"}
    for email in ("penjual1@pasar.test", "penjual2@pasar.test"):
        assert User.objects.get(email=email).check_password("demo-seller-123")
    assert "admin@pasar.test" in output


def test_seed_demo_run_twice_changes_nothing():
    seed()
    counts = (Kecamatan.objects.count(), User.objects.count())
    seed()
    assert (Kecamatan.objects.count(), User.objects.count()) == counts == (16, 4)
