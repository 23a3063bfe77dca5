"""The cart checks availability when a line goes in: goods beyond the free stock, a full slot (or
more people than places left), a stay with a night that is full or not offered are refused with
a code and a message naming the product and the night or slot; nothing is added. The cart page
flags lines that became short since."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.utils import translation

from marketplace.cart import Cart, CartLine, CartRefused, line_clean
from marketplace.models import CartItem, ExperienceSlot, ProductKind, StayNight, Variant
from tests.factories import ExperienceSlotFactory, ProductFactory, UserFactory

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
SAT = date(2030, 12, 7)  # a Saturday; Sunday the 8th, Monday the 9th
NINE_ON_SAT = datetime(2030, 12, 7, 9, 0, tzinfo=JAKARTA)


def said(response) -> str:
    """The last message the response queued (earlier, unshown ones come along in the cookie)."""
    return [str(message) for message in get_messages(response.wsgi_request)][-1]


def session_cart(client) -> list[dict]:
    return client.session.get("cart", [])


def stay(title: str = "Homestay Tepi Danau", rooms: dict[date, tuple[int, int]] | None = None):
    """A stay with StayNight rows: night → (rooms, booked)."""
    product = ProductFactory(title=title, kind=ProductKind.STAY, stock=False, price=300_000)
    for night, (count, booked) in (rooms or {}).items():
        StayNight.objects.create(product=product, night=night, rooms=count, booked=booked)
    return product


def add_stay(client, product, check_in: date, check_out: date, quantity: int = 1, prefix=""):
    return client.post(
        f"{prefix}/cart/add/",
        {
            "product": product.slug,
            "quantity": quantity,
            "check_in": check_in.isoformat(),
            "check_out": check_out.isoformat(),
        },
    )


# Stays ---------------------------------------------------------------------------------------


def test_a_stay_with_a_full_night_is_refused_naming_that_night(client):
    homestay = stay(rooms={SAT: (2, 0), SAT + timedelta(1): (2, 2), SAT + timedelta(2): (2, 0)})
    response = add_stay(client, homestay, SAT, SAT + timedelta(3))
    assert response.status_code == 302
    assert said(response) == "Kamar Homestay Tepi Danau penuh pada malam Min, 8 Des 2030."
    assert session_cart(client) == []


def test_a_stay_with_a_night_the_seller_does_not_offer_is_refused(client):
    homestay = stay(rooms={SAT: (2, 0), SAT + timedelta(2): (2, 0)})  # no row for Sunday
    response = add_stay(client, homestay, SAT, SAT + timedelta(3))
    assert said(response) == "Homestay Tepi Danau tidak menerima tamu pada malam Min, 8 Des 2030."
    assert session_cart(client) == []


def test_more_rooms_than_a_night_has_free_are_refused(client):
    homestay = stay(rooms={SAT: (3, 0), SAT + timedelta(1): (3, 2)})
    response = add_stay(client, homestay, SAT, SAT + timedelta(2), quantity=2)
    assert said(response) == "Kamar Homestay Tepi Danau pada malam Min, 8 Des 2030 tinggal 1."
    assert session_cart(client) == []
    response = add_stay(client, homestay, SAT, SAT + timedelta(2), quantity=1)
    assert said(response) == "Homestay Tepi Danau masuk ke keranjang."
    assert session_cart(client)[0]["quantity"] == 1


def test_a_signed_in_buyer_gets_the_same_refusal_and_no_row(client):
    client.force_login(UserFactory())
    homestay = stay(rooms={SAT: (1, 1)})
    response = add_stay(client, homestay, SAT, SAT + timedelta(1))
    assert said(response) == "Kamar Homestay Tepi Danau penuh pada malam Sab, 7 Des 2030."
    assert not CartItem.objects.exists()


def test_the_refusal_is_english_on_english_pages(client):
    homestay = stay(rooms={SAT: (2, 2)})
    response = add_stay(client, homestay, SAT, SAT + timedelta(1), prefix="/en")
    with translation.override("en"):
        assert (
            said(response) == "Homestay Tepi Danau has no room free on the night of Sat 7 Dec 2030."
        )
    assert session_cart(client) == []


# Experiences ---------------------------------------------------------------------------------


def test_a_full_slot_is_refused_naming_the_slot(client):
    slot = ExperienceSlotFactory(
        product__title="Tur Perahu Danau Toba", starts_at=NINE_ON_SAT, capacity=6, booked=6
    )
    response = client.post(
        "/cart/add/", {"product": slot.product.slug, "slot": slot.pk, "quantity": 1}
    )
    assert said(response) == "Jadwal Tur Perahu Danau Toba pada Sab, 7 Des 2030 09.00 sudah penuh."
    assert session_cart(client) == []


def test_more_people_than_places_left_are_refused_counting_what_the_cart_holds(client):
    slot = ExperienceSlotFactory(
        product__title="Tur Perahu Danau Toba", starts_at=NINE_ON_SAT, capacity=6, booked=2
    )
    data = {"product": slot.product.slug, "slot": slot.pk, "quantity": 3}
    assert said(client.post("/cart/add/", data)) == "Tur Perahu Danau Toba masuk ke keranjang."
    response = client.post("/cart/add/", {**data, "quantity": 2})  # 3 + 2 > 4 left
    assert (
        said(response)
        == "Jadwal Tur Perahu Danau Toba pada Sab, 7 Des 2030 09.00 tinggal 4 tempat."
    )
    assert session_cart(client)[0]["quantity"] == 3


def test_slot_refusals_in_english(client):
    slot = ExperienceSlotFactory(
        product__title="Lake Boat Tour", starts_at=NINE_ON_SAT, capacity=6, booked=5
    )
    response = client.post(
        "/en/cart/add/", {"product": slot.product.slug, "slot": slot.pk, "quantity": 2}
    )
    with translation.override("en"):
        assert said(response) == "Lake Boat Tour on Sat 7 Dec 2030 09:00 has only 1 place left."


# Goods ---------------------------------------------------------------------------------------


def test_goods_beyond_the_free_stock_are_refused(client):
    ulos = ProductFactory(title="Ulos Ragidup", stock=5)
    Variant.objects.filter(product=ulos).update(allocated=2)  # 3 free
    response = client.post("/cart/add/", {"product": ulos.slug, "quantity": 4})
    assert said(response) == "Stok Ulos Ragidup (Standar) tinggal 3."
    assert session_cart(client) == []
    Variant.objects.filter(product=ulos).update(allocated=5)
    response = client.post("/cart/add/", {"product": ulos.slug, "quantity": 1})
    assert said(response) == "Stok Ulos Ragidup (Standar) habis."
    assert session_cart(client) == []


def test_raising_a_quantity_past_the_stock_is_refused_lowering_is_not(client):
    ulos = ProductFactory(title="Ulos Ragidup", stock=5)
    client.post("/cart/add/", {"product": ulos.slug, "quantity": 4})
    key = client.get("/cart/").context["cart"].lines[0].key
    response = client.post("/cart/update/", {"key": key, "quantity": 6})
    assert said(response) == "Stok Ulos Ragidup (Standar) tinggal 5."
    assert session_cart(client)[0]["quantity"] == 4
    Variant.objects.filter(product=ulos).update(on_hand=2)  # the seller recounted
    client.post("/cart/update/", {"key": key, "quantity": 3})  # still short, but fewer
    assert session_cart(client)[0]["quantity"] == 3


# Codes ---------------------------------------------------------------------------------------


def _request(user=None):
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/")
    request.session = {}
    request.user = user or AnonymousUser()
    return request


@pytest.mark.parametrize("user", [None, "signed in"])
def test_refusals_carry_a_code_and_the_field_they_concern(user):
    request = _request(UserFactory() if user else None)
    homestay = stay(rooms={SAT: (1, 1)})
    slot = ExperienceSlotFactory(starts_at=NINE_ON_SAT, capacity=2, booked=2)
    cases = [
        (
            CartLine(homestay.slug, 1, check_in=SAT.isoformat(), check_out="2030-12-08"),
            "night_full",
        ),
        (CartLine(homestay.slug, 1, check_in="2030-12-08", check_out="2030-12-09"), "night_closed"),
        (CartLine(slot.product.slug, 1, slot=slot.pk), "slot_full"),
    ]
    for line, code in cases:
        with pytest.raises(CartRefused) as refused:
            Cart(request).add(line)
        assert refused.value.code == code
        assert refused.value.field == {"night_full": "check_in", "night_closed": "check_in"}.get(
            code, "slot"
        )
    assert Cart(request).lines() == []


def test_line_clean_refuses_what_checkout_would_with_its_codes():
    past = ExperienceSlotFactory(starts_at=NINE_ON_SAT)
    ExperienceSlot.objects.filter(pk=past.pk).update(starts_at=NINE_ON_SAT.replace(year=2020))
    homestay = stay()
    with pytest.raises(CartRefused) as refused:
        line_clean(product=past.product.slug, quantity=1, slot=past.pk)
    assert refused.value.code == "slot_past" and refused.value.field == "slot"
    with pytest.raises(CartRefused) as refused:
        line_clean(product=homestay.slug, quantity=1, check_in=SAT, check_out=SAT + timedelta(31))
    assert refused.value.code == "stay_too_long"
    with pytest.raises(CartRefused) as refused:
        line_clean(product="tidak-ada", quantity=1)
    assert refused.value.code == "product_unavailable"


# The cart page -------------------------------------------------------------------------------


def test_the_cart_page_flags_lines_that_became_unavailable_since_adding(client):
    homestay = stay(rooms={SAT: (2, 0), SAT + timedelta(1): (2, 0)})
    slot = ExperienceSlotFactory(
        product__title="Tur Perahu Danau Toba",
        starts_at=NINE_ON_SAT,
        capacity=6,
        product__price=150_000,
    )
    ulos = ProductFactory(title="Ulos Ragidup", price=200_000, stock=5)
    add_stay(client, homestay, SAT, SAT + timedelta(2))
    client.post("/cart/add/", {"product": slot.product.slug, "slot": slot.pk, "quantity": 3})
    client.post("/cart/add/", {"product": ulos.slug, "quantity": 1})
    # Others booked meanwhile: Sunday is full, the tour has 2 places left.
    StayNight.objects.filter(product=homestay, night=SAT + timedelta(1)).update(booked=2)
    ExperienceSlot.objects.filter(pk=slot.pk).update(booked=4)

    response = client.get("/cart/")
    cart = response.context["cart"]
    html = response.content.decode()
    [gone] = cart.unavailable
    assert gone.line.product == homestay.slug
    assert gone.problem == "Kamar penuh pada malam Min, 8 Des 2030."
    assert gone.shortage.code == "night_full"
    tour = next(line for line in cart.lines if line.line.product == slot.product.slug)
    assert tour.warning == "Jadwal Sab, 7 Des 2030 09.00 tinggal 2 tempat."
    assert "Kamar penuh pada malam Min, 8 Des 2030." in html
    assert "Jadwal Sab, 7 Des 2030 09.00 tinggal 2 tempat." in html
    assert cart.total == 3 * 150_000 + 200_000  # the full stay is not counted


def test_a_slot_that_filled_up_moves_out_of_the_total(client):
    slot = ExperienceSlotFactory(starts_at=NINE_ON_SAT, capacity=6)
    client.post("/cart/add/", {"product": slot.product.slug, "slot": slot.pk, "quantity": 2})
    ExperienceSlot.objects.filter(pk=slot.pk).update(booked=6)
    with translation.override("en"):
        response = client.get("/en/cart/")
        cart = response.context["cart"]
        assert cart.total == 0
        assert cart.unavailable[0].problem == "Sat 7 Dec 2030 09:00 is fully booked."
        assert "Sat 7 Dec 2030 09:00 is fully booked." in response.content.decode()


def test_a_51st_line_is_refused_not_silently_dropped(client):
    ulos = ProductFactory(title="Ulos Ragidup")
    motifs = [
        Variant.objects.create(product=ulos, name=f"Motif {n}", price=100_000, on_hand=5)
        for n in range(51)
    ]
    session = client.session
    session["cart"] = [CartLine(ulos.slug, 1, variant=v.pk).__dict__ for v in motifs[:50]]
    session.save()
    response = client.post(
        "/cart/add/", {"product": ulos.slug, "variant": motifs[50].pk, "quantity": 1}
    )
    assert said(response) == "Keranjang paling banyak 50 baris."
    assert len(session_cart(client)) == 50
    response = client.post(
        "/cart/add/", {"product": ulos.slug, "variant": motifs[0].pk, "quantity": 1}
    )
    assert said(response) == "Ulos Ragidup masuk ke keranjang."  # more of a line it holds
