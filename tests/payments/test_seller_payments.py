"""The seller's payments under /seller/<slug>/payments/: the list, its actions (confirm, reject a
transfer proof, refund) and the QRIS set-up, for the owner (works), staff, another seller and a
stranger (404, nothing changes) and anonymous users (the login page, nothing changes)."""

from __future__ import annotations

import io

import pytest
import segno
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from marketplace.models import Order, OrderStatus, ShopMember, ShopRole
from marketplace.services.checkout import CheckoutItem, Contact, checkout_place
from payments import qris, services
from payments.models import MerchantQris, Payment, PaymentStatus
from tests.factories import ProductFactory, ShopFactory, UserFactory, image_bytes
from tests.payments.conftest import with_qris
from tests.payments.test_qris_codec import STICKER, STICKER_FIELDS

pytestmark = pytest.mark.django_db
P = PaymentStatus

try:
    import zxingcpp  # noqa: F401

    HAVE_ZXING = True
except ImportError:  # pragma: no cover
    HAVE_ZXING = False


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


class World:
    def __init__(self):
        self.owner = UserFactory(email="pemilik@pasar.test")
        self.staff = UserFactory(email="staf@pasar.test")
        self.other_seller = UserFactory(email="lain@pasar.test")
        self.stranger = UserFactory(email="orang@pasar.test")
        self.shop = with_qris(
            ShopFactory(
                owner=self.owner,
                bank_name="Bank Sumut",
                bank_account_number="1234567890",
                bank_account_name="Rina",
            )
        )
        ShopMember.objects.create(shop=self.shop, user=self.staff, role=ShopRole.STAFF)
        self.other_shop = ShopFactory(owner=self.other_seller)

    def order(self, price=125_000) -> Order:
        product = ProductFactory(shop=self.shop, price=price)
        checkout = checkout_place(
            items=[CheckoutItem(product.slug, 1)],
            contact=Contact("Budi", "0812 3333 4444", "budi@pasar.test"),
        )
        return checkout.orders.get()

    def payment(self, provider="qris", *, proof=False, price=125_000) -> Payment:
        payment = services.payment_start(order=self.order(price), provider=provider)
        if proof:
            upload = SimpleUploadedFile("b.png", image_bytes("PNG"), content_type="image/png")
            payment = services.payment_proof_upload(payment=payment, upload=upload)
        return payment

    def url(self, name, *args, shop=None) -> str:
        return reverse(f"seller_payments:{name}", args=[(shop or self.shop).slug, *args])


@pytest.fixture
def world() -> World:
    return World()


def as_user(client, user):
    if user is not None:
        client.force_login(user)
    return client


def page(response) -> str:
    return response.content.decode()


# Who gets in ---------------------------------------------------------------------------------

PAGES = ["list", "qris"]


@pytest.mark.parametrize("name", PAGES)
def test_pages_owner_gets_in_others_get_404_anonymous_the_login(client, world, name):
    assert as_user(client, world.owner).get(world.url(name)).status_code == 200
    for user in (world.other_seller, world.stranger):
        client.force_login(user)
        assert client.get(world.url(name)).status_code == 404
    # Another seller using their own slug only ever sees their own shop.
    client.force_login(world.other_seller)
    assert client.get(world.url(name, shop=world.other_shop)).status_code == 200
    client.logout()
    response = client.get(world.url(name))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_see_the_payments_but_not_the_qris_setup(client, world):
    client.force_login(world.staff)
    assert client.get(world.url("list")).status_code == 200
    assert client.get(world.url("qris")).status_code == 404


def test_another_sellers_slug_does_not_reach_this_shops_payment(client, world):
    payment = world.payment("transfer", proof=True)
    client.force_login(world.other_seller)
    url = world.url("confirm", payment.reference, shop=world.other_shop)
    assert client.post(url).status_code == 404
    payment.refresh_from_db()
    assert payment.status == P.PENDING


# The list ------------------------------------------------------------------------------------


def test_the_list_flags_attention_first_shows_notes_proofs_and_actions(client, world):
    waiting = world.payment("transfer", proof=True, price=80_000)
    qris_pending = world.payment("qris", price=90_000)
    done = world.payment("qris", price=70_000)
    services.payment_confirm_by_seller(payment=done, by=world.owner)
    late = world.payment("qris", price=60_000)
    Order.objects.filter(pk=late.order_id).update(status=OrderStatus.EXPIRED)
    services.payment_confirm_by_seller(payment=late, by=world.owner)
    late.refresh_from_db()
    assert late.needs_attention and late.note

    body = page(as_user(client, world.owner).get(world.url("list")))
    order = [body.index(f'id="pay-{p.reference}"') for p in (late, qris_pending, waiting, done)]
    assert order[0] < min(order[1:]), "the flagged payment comes first"
    assert max(order[1], order[2]) < order[3], "pending before succeeded"
    assert late.note in body and "Perlu ditinjau" in body
    assert "Rp 60.000" in body and "Rp 80.000" in body
    proof_url = world.url("proof", waiting.reference)  # the checked view, not public media
    assert f'src="{proof_url}"' in body
    assert body.count("Pembayaran diterima</button>") == 2  # the two pending ones
    assert world.url("reject", waiting.reference) in body
    assert world.url("reject", qris_pending.reference) not in body  # only transfers
    assert world.url("refund", done.reference) in body


def test_the_list_can_be_filtered(client, world):
    pending = world.payment("qris")
    done = world.payment("qris")
    services.payment_confirm_by_seller(payment=done, by=world.owner)
    as_user(client, world.owner)
    body = page(client.get(world.url("list"), {"status": "succeeded"}))
    assert done.reference in body and pending.reference not in body
    body = page(client.get(world.url("list"), {"status": "nonsense"}))
    assert done.reference in body and pending.reference in body


def test_the_list_runs_the_same_queries_for_2_and_20_payments(client, world):
    as_user(client, world.owner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(world.url("list")).status_code == 200
        return len(queries)

    for i in range(2):
        world.payment("transfer" if i % 2 else "qris", proof=bool(i % 2))
    count()  # the first request of a process fills caches (content types, site): not counted
    two = count()
    for i in range(18):
        payment = world.payment("transfer" if i % 2 else "qris", proof=bool(i % 2))
        if i % 3 == 0:
            services.payment_confirm_by_seller(payment=payment, by=world.owner)
    assert Payment.objects.count() == 20
    assert count() == two


# Actions: the owner, staff, another seller, a stranger, anonymous ----------------------------

ACTORS = ["owner", "staff", "other_seller", "stranger", "anonymous"]


def act(client, world, actor, name, payment, data=None):
    user = None if actor == "anonymous" else getattr(world, actor)
    as_user(client, user)
    return client.post(world.url(name, payment.reference), data or {})


def refused(response, actor) -> bool:
    if actor == "anonymous":
        return response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    return response.status_code == 404


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("provider", ["qris", "transfer"])
def test_confirm(client, world, actor, provider):
    payment = world.payment(provider, proof=provider == "transfer")
    response = act(client, world, actor, "confirm", payment)
    payment.refresh_from_db()
    if actor in {"owner", "staff"}:
        assert response.status_code == 302 and response["Location"] == world.url("list")
        assert payment.status == P.SUCCEEDED
        assert payment.confirmed_by == getattr(world, actor)
        assert "diterima" in page(client.get(world.url("list")))
    else:
        assert refused(response, actor)
        assert payment.status == P.PENDING and payment.confirmed_by is None


@pytest.mark.parametrize("actor", ACTORS)
def test_reject_a_transfer_proof(client, world, actor):
    payment = world.payment("transfer", proof=True)
    response = act(client, world, actor, "reject", payment, {"reason": "Nominal kurang."})
    payment.refresh_from_db()
    if actor in {"owner", "staff"}:
        assert response.status_code == 302
        assert payment.status == P.FAILED and payment.note == "Nominal kurang."
    else:
        assert refused(response, actor)
        assert payment.status == P.PENDING and payment.note == ""


def test_a_rejection_needs_a_reason_and_a_pending_transfer(client, world):
    transfer = world.payment("transfer", proof=True)
    qris_payment = world.payment("qris")
    client.force_login(world.owner)
    client.post(world.url("reject", transfer.reference), {"reason": "  "})
    assert "Tuliskan alasan" in page(client.get(world.url("list")))
    client.post(world.url("reject", qris_payment.reference), {"reason": "Tidak masuk."})
    assert "Hanya bukti transfer" in page(client.get(world.url("list")))
    for payment in (transfer, qris_payment):
        payment.refresh_from_db()
        assert payment.status == P.PENDING


@pytest.mark.parametrize("actor", ACTORS)
def test_refund_is_for_the_owner(client, world, actor):
    payment = world.payment("qris")
    services.payment_confirm_by_seller(payment=payment, by=world.owner)
    response = act(client, world, actor, "refund", payment)
    payment.refresh_from_db()
    if actor == "owner":
        assert response.status_code == 302 and payment.status == P.REFUNDED
    else:
        # Staff confirm money but do not give it back.
        assert refused(response, actor)
        assert payment.status == P.SUCCEEDED


def test_a_pending_payment_cannot_be_refunded_and_a_card_not_confirmed(client, world, settings):
    pending = world.payment("qris")
    client.force_login(world.owner)
    client.post(world.url("refund", pending.reference))
    assert "Hanya pembayaran yang berhasil" in page(client.get(world.url("list")))
    card = Payment.objects.create(
        order=world.order(), provider="stripe", amount=125_000, expires_at=pending.expires_at
    )
    client.post(world.url("confirm", card.reference))
    card.refresh_from_db()
    pending.refresh_from_db()
    assert card.status == P.PENDING and pending.status == P.PENDING


def test_actions_answer_only_post(client, world):
    payment = world.payment("qris")
    client.force_login(world.owner)
    assert client.get(world.url("confirm", payment.reference)).status_code == 405
    payment.refresh_from_db()
    assert payment.status == P.PENDING


# QRIS set-up ---------------------------------------------------------------------------------

OTHER_STICKER = qris.build(
    [
        ("00", "01"),
        ("01", "11"),
        ("26", [("00", "ID.CO.BANKSUMUT.WWW"), ("01", "9360011700000999"), ("02", "999")]),
        ("51", [("00", "ID.CO.QRIS.WWW"), ("02", "ID1026000099999"), ("03", "UMI")]),
        ("52", "5699"),
        ("53", "360"),
        ("58", "ID"),
        ("59", "KOPI LINTONG"),
        ("60", "SIBORONGBORONG"),
    ]
)


@pytest.fixture
def shop_without_qris(world):
    MerchantQris.objects.filter(shop=world.shop).delete()
    return world.shop


def test_paste_preview_then_confirm(client, world, shop_without_qris):
    client.force_login(world.owner)
    response = client.post(world.url("qris"), {"step": "preview", "payload": OTHER_STICKER})
    body = page(response)
    assert response.status_code == 200
    assert "KOPI LINTONG" in body and "SIBORONGBORONG" in body and "ID1026000099999" in body
    assert "ID.CO.BANKSUMUT.WWW" in body and 'value="confirm"' in body
    assert not MerchantQris.objects.exists(), "nothing is saved before the seller confirms"

    response = client.post(world.url("qris"), {"step": "confirm", "payload": OTHER_STICKER})
    assert response.status_code == 302
    merchant = MerchantQris.objects.get(shop=world.shop)
    assert (merchant.merchant_name, merchant.merchant_city, merchant.nmid) == (
        "KOPI LINTONG",
        "SIBORONGBORONG",
        "ID1026000099999",
    )
    assert merchant.payload == OTHER_STICKER and merchant.confirmed_by == world.owner
    assert "QRIS KOPI LINTONG" in page(client.get(response["Location"]))


def test_a_new_sticker_replaces_the_old_one(client, world):
    client.force_login(world.owner)
    client.post(world.url("qris"), {"step": "confirm", "payload": f"  {OTHER_STICKER}\n"})
    merchant = MerchantQris.objects.get(shop=world.shop)
    assert merchant.merchant_name == "KOPI LINTONG" and merchant.payload == OTHER_STICKER


def corrupt_crc(payload: str) -> str:
    return payload[:-4] + ("0000" if payload[-4:] != "0000" else "1111")


def dynamic(payload: str) -> str:
    return qris.to_dynamic(payload, 50_000)


def dollars(payload: str) -> str:
    return qris.build([(t, "840") if t == "53" else (t, v) for t, v in STICKER_FIELDS])


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (corrupt_crc, "CRC tidak cocok"),
        (dynamic, "QRIS dinamis"),
        (dollars, "Mata uang (tag 53) harus 360 (Rupiah)"),
        (lambda p: "halo, ini bukan QRIS", "Format QRIS rusak"),
    ],
    ids=["bad-crc", "dynamic", "not-idr", "garbage"],
)
def test_a_bad_payload_is_refused_with_its_message(client, world, shop_without_qris, make, message):
    client.force_login(world.owner)
    for step in ("preview", "confirm"):
        response = client.post(world.url("qris"), {"step": step, "payload": make(STICKER)})
        assert response.status_code == 400
        assert message in page(response)
    assert not MerchantQris.objects.exists()


def test_nothing_given_is_refused(client, world):
    client.force_login(world.owner)
    response = client.post(world.url("qris"), {"step": "preview", "payload": ""})
    assert response.status_code == 400 and "Tempel teks payload QRIS" in page(response)


@pytest.mark.parametrize("actor", ["staff", "other_seller", "stranger", "anonymous"])
def test_only_the_owner_sets_the_qris(client, world, shop_without_qris, actor):
    if actor != "anonymous":
        client.force_login(getattr(world, actor))
    response = client.post(world.url("qris"), {"step": "confirm", "payload": OTHER_STICKER})
    assert refused(response, actor)
    assert not MerchantQris.objects.exists()


def test_the_service_refuses_a_non_owner(world):
    with pytest.raises(services.PaymentRefused):
        services.merchant_qris_set(shop=world.shop, payload=OTHER_STICKER, by=world.staff)


def qr_photo(payload: str, fmt: str = "PNG") -> SimpleUploadedFile:
    out = io.BytesIO()
    segno.make(payload, error="m").save(out, kind="png", scale=8, border=4)
    if fmt != "PNG":  # as a phone would send it
        from PIL import Image

        out.seek(0)
        converted = io.BytesIO()
        Image.open(out).convert("RGB").save(converted, format=fmt, quality=90)
        out = converted
    kind = fmt.lower()
    return SimpleUploadedFile(f"stiker.{kind}", out.getvalue(), content_type=f"image/{kind}")


@pytest.mark.skipif(not HAVE_ZXING, reason="zxing-cpp is not installed: photos cannot be read")
@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_a_photo_of_the_sticker_is_decoded_then_confirmed(client, world, shop_without_qris, fmt):
    client.force_login(world.owner)
    response = client.post(
        world.url("qris"), {"step": "preview", "photo": qr_photo(OTHER_STICKER, fmt)}
    )
    body = page(response)
    assert response.status_code == 200, body
    assert "KOPI LINTONG" in body and "ID1026000099999" in body
    assert f'value="{OTHER_STICKER}"' in body
    client.post(world.url("qris"), {"step": "confirm", "payload": OTHER_STICKER})
    assert MerchantQris.objects.get().nmid == "ID1026000099999"


@pytest.mark.skipif(not HAVE_ZXING, reason="zxing-cpp is not installed: photos cannot be read")
@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            lambda: SimpleUploadedFile("x.png", image_bytes("PNG"), content_type="image/png"),
            "Tidak ada kode QR yang terbaca",
        ),
        (
            lambda: SimpleUploadedFile("x.pdf", b"%PDF-1.4", content_type="application/pdf"),
            "Berkas ini bukan foto. Unggah JPEG, PNG atau WebP.",
        ),
        (lambda: qr_photo(dynamic(STICKER)), "QRIS dinamis"),
    ],
    ids=["no-qr", "not-a-photo", "dynamic"],
)
def test_a_bad_photo_says_why(client, world, shop_without_qris, upload, message):
    client.force_login(world.owner)
    response = client.post(world.url("qris"), {"step": "preview", "photo": upload()})
    assert response.status_code == 400 and message in page(response)
    assert not MerchantQris.objects.exists()
