"""Transfer proofs leave the Wagtail image library for the private storage (issue #8, item 11).

The proof was a Wagtail image (public under MEDIA_URL, listed in the CMS image library). Each
existing proof's file is copied into STORAGES["private"] and set on `proof_file`; then the image
row and its renditions are deleted. The public files are deleted only once this migration's
transaction has committed, so a failed migration never leaves image rows without their files.

Going back (migrate payments 0001) re-adds an empty `proof` column; the private files stay
where they are and are not turned back into Wagtail images.
"""

import logging
import os

from django.core.files.base import ContentFile
from django.db import migrations, models, transaction

import payments.storage

logger = logging.getLogger(__name__)


def proofs_to_private(apps, schema_editor):
    Payment = apps.get_model("payments", "Payment")
    Image = apps.get_model("wagtailimages", "Image")
    Rendition = apps.get_model("wagtailimages", "Rendition")
    if schema_editor.connection.vendor == "postgresql":
        # Checked now, not at commit: deferred checks left pending would forbid the ALTER TABLE
        # of the RemoveField below in this same transaction.
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    storage = payments.storage.private_storage()
    public_files = []  # (storage, name) to delete after commit
    image_ids = set()
    for payment in Payment.objects.filter(proof__isnull=False).select_related("proof").iterator():
        image = payment.proof
        image_ids.add(image.pk)
        try:
            with image.file.open("rb") as source:
                content = source.read()
        except OSError:
            # The row outlived its file: nothing to move; the image row goes all the same.
            logger.warning("proof of %s: file %s is missing", payment.reference, image.file.name)
            continue
        extension = os.path.splitext(image.file.name)[1].lstrip(".") or "jpg"
        name = payments.storage.proof_upload_to(payment, f"proof.{extension}")
        payment.proof_file.name = storage.save(name, ContentFile(content))
        Payment.objects.filter(pk=payment.pk).update(proof_file=payment.proof_file.name)
    if not image_ids:
        return
    for image in Image.objects.filter(pk__in=image_ids):
        public_files.append((image.file.storage, image.file.name))
    for rendition in Rendition.objects.filter(image_id__in=image_ids):
        public_files.append((rendition.file.storage, rendition.file.name))
    Payment.objects.filter(proof_id__in=image_ids).update(proof=None)
    Image.objects.filter(pk__in=image_ids).delete()  # renditions go with them (CASCADE)

    def delete_public_files():
        for file_storage, name in public_files:
            try:
                file_storage.delete(name)
            except OSError:
                logger.warning("could not delete the public copy %s", name)

    transaction.on_commit(delete_public_files, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="proof_file",
            field=models.FileField(
                blank=True,
                max_length=200,
                storage=payments.storage.private_storage,
                upload_to=payments.storage.proof_upload_to,
                verbose_name="bukti transfer",
            ),
        ),
        migrations.RunPython(proofs_to_private, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="payment",
            name="proof",
        ),
    ]
