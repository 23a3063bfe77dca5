import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from marketplace.demo.accounts import EDITOR_GROUPS, grant_editor_permissions
from marketplace.models import OutboxEvent, ShopStatus
from tests.factories import ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

INDEX = "/cms-admin/verifikasi-toko/"


@pytest.fixture
def editor():
    """Like the demo editor: in the Editors and Editor Diskominfo groups, nothing more."""
    grant_editor_permissions()
    user = UserFactory(email="editor@pasar.test")
    user.groups.add(*Group.objects.filter(name__in=EDITOR_GROUPS))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def pending_shop(**fields):
    fields.setdefault("status", ShopStatus.PENDING)
    fields.setdefault("submitted_at", timezone.now())
    return ShopFactory(**fields)


def url(name, shop):
    return reverse(f"shop_verification:{name}", args=[shop.pk])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_urls_live_under_the_cms_admin():
    shop = ShopFactory.build(pk=7)
    assert reverse("shop_verification:index") == INDEX
    assert url("detail", shop) == INDEX + "7/"
    assert url("verify", shop) == INDEX + "7/verify/"


def test_editor_sees_the_menu_item_and_pending_shops_first(editor_client):
    verified = ShopFactory(name="Aaa Sudah Terverifikasi")
    draft = ShopFactory(name="Aab Masih Draf", status=ShopStatus.DRAFT)
    pending = pending_shop(name="Zzz Menunggu")
    home = editor_client.get("/cms-admin/")
    assert home.status_code == 200
    assert "Verifikasi toko" in home.content.decode()
    response = editor_client.get(INDEX)
    assert response.status_code == 200
    shops = list(response.context["shops"])
    assert shops[0] == pending
    assert {verified, draft} <= set(shops)
    body = response.content.decode()
    assert body.index("Zzz Menunggu") < body.index("Aaa Sudah Terverifikasi")


def test_editor_filters_by_status_and_searches(editor_client):
    ShopFactory(name="Kopi Terverifikasi")
    pending = pending_shop(name="Ulos Menunggu")
    pending_shop(name="Kopi Menunggu")
    response = editor_client.get(INDEX, {"status": "pending"})
    assert {s.status for s in response.context["shops"]} == {ShopStatus.PENDING}
    assert len(response.context["shops"]) == 2
    response = editor_client.get(INDEX, {"status": "pending", "q": "ulos"})
    assert list(response.context["shops"]) == [pending]
    # An unknown status shows everything rather than failing.
    assert len(editor_client.get(INDEX, {"status": "nonsense"}).context["shops"]) == 3


def test_detail_shows_what_the_seller_entered(editor_client):
    owner = UserFactory(full_name="Rosmawati Siahaan", phone="+6281234567890")
    shop = pending_shop(
        name="Tenun Boru Siahaan",
        owner=owner,
        story="Menenun ulos sejak 1998.",
        address="Jl. Tarutung No. 5, Balige",
        latitude="2.333100",
        longitude="99.064200",
        whatsapp="+6281234567890",
        nib="1234567890123",
        bank_name="Bank Sumut",
        bank_account_number="1230045678",
        bank_account_name="Rosmawati Siahaan",
    )
    response = editor_client.get(url("detail", shop))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "Tenun Boru Siahaan",
        "Menenun ulos sejak 1998.",
        "Jl. Tarutung No. 5, Balige",
        "2.333100, 99.064200",
        "https://wa.me/6281234567890",
        "1234567890123",
        "Bank Sumut",
        "1230045678",
        "Rosmawati Siahaan",
        shop.category.name,
        shop.kecamatan.name,
        url("verify", shop),
        url("reject", shop),
    ):
        assert text in body, text
    assert url("suspend", shop) not in body


def test_editor_verifies_a_pending_shop_and_the_event_is_published(editor_client, editor):
    shop = pending_shop()
    response = editor_client.post(url("verify", shop), follow=True)
    assert response.redirect_chain[-1][0] == url("detail", shop)
    assert any("terverifikasi" in m for m in messages_of(response))
    shop.refresh_from_db()
    assert shop.status == ShopStatus.VERIFIED
    assert shop.verified_by == editor and shop.verified_at is not None
    event = OutboxEvent.objects.get(name="shop.verified")
    assert event.payload["shop_id"] == shop.pk
    assert event.payload["verified_by"] == editor.pk


def test_editor_rejects_with_a_reason_the_seller_can_read(editor_client):
    shop = pending_shop()
    response = editor_client.post(
        url("reject", shop), {"reject-reason": "  Foto KTP tidak terbaca.  "}, follow=True
    )
    assert response.status_code == 200
    shop.refresh_from_db()
    assert shop.status == ShopStatus.REJECTED
    assert shop.status_reason == "Foto KTP tidak terbaca."
    assert "Foto KTP tidak terbaca." in response.content.decode()
    assert OutboxEvent.objects.filter(name="shop.rejected").count() == 1


def test_rejecting_without_a_reason_is_refused(editor_client):
    shop = pending_shop()
    response = editor_client.post(url("reject", shop), {"reject-reason": "   "})
    assert response.status_code == 200
    assert response.context["reject_form"].errors["reason"]
    assert any("alasan" in m.lower() for m in messages_of(response))
    shop.refresh_from_db()
    assert shop.status == ShopStatus.PENDING and shop.status_reason == ""
    assert not OutboxEvent.objects.filter(name="shop.rejected").exists()


def test_editor_suspends_a_verified_shop_with_a_reason(editor_client):
    shop = ShopFactory(status=ShopStatus.VERIFIED)
    response = editor_client.post(url("suspend", shop), {"suspend-reason": ""})
    assert response.status_code == 200
    shop.refresh_from_db()
    assert shop.status == ShopStatus.VERIFIED
    editor_client.post(url("suspend", shop), {"suspend-reason": "Laporan penipuan pembeli."})
    shop.refresh_from_db()
    assert shop.status == ShopStatus.SUSPENDED
    assert shop.status_reason == "Laporan penipuan pembeli."
    # A suspended shop can be verified again.
    detail = editor_client.get(url("detail", shop)).content.decode()
    assert url("verify", shop) in detail and "Laporan penipuan pembeli." in detail
    editor_client.post(url("verify", shop))
    shop.refresh_from_db()
    assert shop.status == ShopStatus.VERIFIED and shop.status_reason == ""


@pytest.mark.parametrize(
    ("status", "action", "data"),
    [
        (ShopStatus.DRAFT, "verify", {}),
        (ShopStatus.REJECTED, "verify", {}),
        (ShopStatus.VERIFIED, "reject", {"reject-reason": "Tidak jelas."}),
        (ShopStatus.DRAFT, "suspend", {"suspend-reason": "Tidak jelas."}),
        (ShopStatus.PENDING, "suspend", {"suspend-reason": "Tidak jelas."}),
    ],
)
def test_illegal_transitions_show_an_error_and_change_nothing(editor_client, status, action, data):
    shop = ShopFactory(status=status)
    events_before = OutboxEvent.objects.count()
    response = editor_client.post(url(action, shop), data, follow=True)
    assert response.redirect_chain[-1][0] == url("detail", shop)
    assert any("tidak dapat diubah" in m for m in messages_of(response))
    shop.refresh_from_db()
    assert shop.status == status and shop.status_reason == ""
    assert OutboxEvent.objects.count() == events_before


def test_actions_need_post(editor_client):
    shop = pending_shop()
    assert editor_client.get(url("verify", shop)).status_code == 405
    shop.refresh_from_db()
    assert shop.status == ShopStatus.PENDING


def test_unknown_shop_is_404(editor_client):
    assert editor_client.get(INDEX + "999999/").status_code == 404


ALL_ACTIONS = [
    ("get", "detail", {}),
    ("post", "verify", {}),
    ("post", "reject", {"reject-reason": "x"}),
    ("post", "suspend", {"suspend-reason": "x"}),
]


def assert_turned_away(response):
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/verifikasi-toko/" not in response["Location"].split("?")[0]


def test_anonymous_people_are_sent_to_the_login_and_nothing_changes(client):
    shop = pending_shop()
    response = client.get(INDEX)
    assert response.status_code == 302 and "login" in response["Location"]
    for method, name, data in ALL_ACTIONS:
        assert_turned_away(getattr(client, method)(url(name, shop), data))
    shop.refresh_from_db()
    assert shop.status == ShopStatus.PENDING
    assert not OutboxEvent.objects.exists()


def test_a_seller_cannot_reach_the_pages_and_nothing_changes(client):
    seller = UserFactory()
    shop = pending_shop(owner=seller)
    client.force_login(seller)
    assert_turned_away(client.get(INDEX))
    for method, name, data in ALL_ACTIONS:
        assert_turned_away(getattr(client, method)(url(name, shop), data))
    shop.refresh_from_db()
    assert shop.status == ShopStatus.PENDING
    assert not OutboxEvent.objects.exists()


def test_an_admin_user_without_the_permission_is_refused(client):
    """In the CMS (e.g. a Moderator only), but without marketplace.change_shop."""
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(user)
    home = client.get("/cms-admin/")
    assert home.status_code == 200
    assert reverse("shop_verification:index") not in home.content.decode()
    shop = pending_shop()
    assert_turned_away(client.get(INDEX))
    assert_turned_away(client.post(url("verify", shop)))
    shop.refresh_from_db()
    assert shop.status == ShopStatus.PENDING


def test_editors_manage_categories_and_regions_as_snippets(editor_client):
    for model in ("category", "kecamatan", "desa"):
        response = editor_client.get(f"/cms-admin/snippets/marketplace/{model}/")
        assert response.status_code == 200, model
    response = editor_client.post(
        "/cms-admin/snippets/marketplace/category/add/",
        {"name": "Kerajinan", "name_en": "Crafts", "slug": "kerajinan", "position": "4"},
    )
    assert response.status_code == 302
    from marketplace.models import Category

    assert Category.objects.get(slug="kerajinan").name_en == "Crafts"
