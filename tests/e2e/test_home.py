import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_home_fits_a_phone_and_switches_to_english(live_server, page):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "Karya dan wisata Kabupaten Toba"
    # Nothing wider than the screen: no sideways scrolling on a 360 px phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_role("link", name="English").click()
    page.wait_for_url(live_server.url + "/en/")
    assert "Managed by" in page.locator("footer").inner_text()
