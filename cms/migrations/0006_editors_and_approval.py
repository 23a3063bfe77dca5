"""Diskominfo's editors and the head of office, as Wagtail intends it: the "Editor Diskominfo"
group may write and submit pages (both languages), images, documents, topics and
announcements, but not publish; the "Kepala Dinas" group approves in the moderation workflow
("Persetujuan Kepala Dinas", a GroupApprovalTask) that every page goes through, and may
publish. The workflow sits on the tree's root, so that the English tree has it too."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Editor Diskominfo"
HEAD = "Kepala Dinas"
WORKFLOW = "Persetujuan Kepala Dinas"

EDITOR_PAGE = ["add_page", "change_page", "lock_page", "unlock_page"]
HEAD_PAGE = [*EDITOR_PAGE, "publish_page"]
COLLECTION = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}
MODEL = {
    "wagtailadmin": ["access_admin"],
    "simple_translation": ["submit_translation"],
    "cms": [
        "add_articletopic",
        "change_articletopic",
        "view_articletopic",
        "add_announcementbanner",
        "change_announcementbanner",
        "view_announcementbanner",
    ],
}
HEAD_MODEL = {"cms": ["delete_announcementbanner", "change_sitesettings"]}


def permission(apps, app_label: str, codename: str):
    Permission = apps.get_model("auth", "Permission")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def forward(apps, schema_editor):
    # Permissions are made after migrations by default; these need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")

    root = Page.objects.get(depth=1)
    collection = Collection.objects.get(depth=1)
    editors, _ = Group.objects.get_or_create(name=EDITORS)
    head, _ = Group.objects.get_or_create(name=HEAD)
    for group, page_permissions, extra in ((editors, EDITOR_PAGE, {}), (head, HEAD_PAGE, HEAD_MODEL)):
        for codename in page_permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page=root, permission=permission(apps, "wagtailcore", codename)
            )
        for app_label, codenames in COLLECTION.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=collection,
                    permission=permission(apps, app_label, codename),
                )
        for source in (MODEL, extra):
            for app_label, codenames in source.items():
                for codename in codenames:
                    group.permissions.add(permission(apps, app_label, codename))

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=WORKFLOW).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=WORKFLOW, content_type=task_type, active=True)
    task.groups.add(head)
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    # The root's workflow covers every page without one of its own, in every language.
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0005_english_locale"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("simple_translation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
