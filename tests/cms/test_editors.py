"""Diskominfo's editors work as Wagtail intends (issue 10, item 4): editors write and submit,
the head of office approves and publishes through the workflow, scheduled pages go live by
themselves, every image needs its alt text."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.forms import ImageForm
from cms.models import CampaignPage
from cms.tasks import publish_scheduled
from tests.cms import pages
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def member(group: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group))
    return user


def draft_campaign(title: str = "Bangga Buatan Toba") -> CampaignPage:
    parent = pages.campaign().get_parent()  # the campaign index, with one live campaign
    today = timezone.localdate()
    page = CampaignPage(
        title=title, start_date=today, end_date=today + dt.timedelta(days=30), live=False
    )
    parent.add_child(instance=page)
    page.save_revision()
    return page


def test_an_editor_may_write_and_submit_but_not_publish():
    editor = member("Editor Diskominfo")
    page = draft_campaign()
    permissions = page.permissions_for_user(editor)
    assert permissions.can_edit() and permissions.can_add_subpage() is False  # no subpages here
    assert not permissions.can_publish()
    assert page.get_parent().permissions_for_user(editor).can_add_subpage()
    assert editor.has_perm("wagtailadmin.access_admin")
    assert editor.has_perm("simple_translation.submit_translation")
    assert not editor.has_perm("cms.change_sitesettings")


def test_the_head_of_office_approves_and_the_page_goes_live():
    editor, head = member("Editor Diskominfo"), member("Kepala Dinas")
    page = draft_campaign()
    workflow = page.get_workflow()
    assert workflow.name == "Persetujuan Kepala Dinas"

    state = workflow.start(page, editor)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert list(task.groups.values_list("name", flat=True)) == ["Kepala Dinas"]
    assert task.get_actions(page, editor) == []  # an editor cannot approve their own
    assert "approve" in [name for name, *_ in task.get_actions(page, head)]
    assert not page.live

    task.on_action(task_state, head, "approve")
    page.refresh_from_db()
    assert page.live
    home = pages.home()
    assert page.pk in [c.pk for c in home.get_context(_request(home.url))["campaigns"]]


def test_english_pages_go_through_the_same_workflow():
    page = pages.translate(pages.campaign())
    assert page.locale.language_code == "en"
    assert page.get_workflow().name == "Persetujuan Kepala Dinas"


def test_a_scheduled_page_goes_live_when_beat_runs_the_task():
    page = draft_campaign("Festival Kopi")
    page.go_live_at = timezone.now() - dt.timedelta(minutes=1)
    page.save_revision(approved_go_live_at=page.go_live_at)
    assert not CampaignPage.objects.get(pk=page.pk).live
    publish_scheduled()
    assert CampaignPage.objects.get(pk=page.pk).live


def test_an_image_needs_its_alt_text():
    from wagtail.images.forms import get_image_form
    from wagtail.images.models import Image

    form_class = get_image_form(Image)
    assert issubclass(form_class, ImageForm)
    form = form_class(data={"title": "Ulos", "description": ""})
    assert not form.is_valid()
    assert "description" in form.errors


def _request(url: str):
    from django.test import RequestFactory

    return RequestFactory().get(url)
