"""Campaign reach in the Wagtail admin: per campaign page, the visits its shared links brought,
the orders and the money paid (issue 11, item 6); Diskominfo only."""

from __future__ import annotations

import csv
import io

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from marketplace.models import CampaignVisitDay, Order, OrderStatus
from tests.cms import pages
from tests.factories import UserFactory
from tests.payments.helpers import order_for

pytestmark = pytest.mark.django_db
URL = "/cms-admin/reports/kampanye/"


def test_the_report_shows_each_campaign_page_with_its_visits_orders_and_money(client):
    campaign = pages.campaign()
    today = timezone.localdate()
    CampaignVisitDay.objects.create(day=today, campaign=campaign.slug, source="whatsapp", visits=7)
    CampaignVisitDay.objects.create(day=today, campaign=campaign.slug, source="facebook", visits=3)
    paid, unpaid = order_for(120_000), order_for(80_000)
    Order.objects.filter(pk=paid.pk).update(campaign=campaign.slug, status=OrderStatus.PAID)
    Order.objects.filter(pk=unpaid.pk).update(campaign=campaign.slug)

    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editor Diskominfo"))
    client.force_login(editor)
    response = client.get(URL, {"export": "csv"})
    text = b"".join(response.streaming_content) if response.streaming else response.content
    header, row = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert header[0] == "Kampanye (utm_campaign)"
    assert row == [campaign.slug, campaign.title, "10", "2", "1", "120000"]
    assert client.get(URL).status_code == 200


def test_a_seller_and_a_stranger_cannot_read_it(client):
    assert client.get(URL).status_code == 302
    client.force_login(UserFactory())
    assert client.get(URL).status_code in (302, 403)
