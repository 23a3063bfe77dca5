"""Refunded amounts, a follow-up state for flagged payments, and provider-call intents (issue #8,
items 3, 4, 5 and 10). A payment refunded before this migration was refunded whole."""

from django.db import migrations, models


def refunded_whole(apps, schema_editor):
    Payment = apps.get_model("payments", "Payment")
    Payment.objects.filter(status="refunded").update(refunded_amount=models.F("amount"))


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0002_transfer_proof_private"),
    ]

    operations = [
        migrations.AddField(
            model_name="payment",
            name="attention",
            field=models.CharField(
                blank=True,
                choices=[
                    ("refund_due", "Dana harus dikembalikan penjual"),
                    ("refunding", "Dana sedang dikembalikan otomatis"),
                    ("refund_failed", "Pengembalian dana otomatis gagal"),
                    ("paid_twice", "Pesanan sudah dibayar lewat pembayaran lain"),
                ],
                default="",
                max_length=20,
                verbose_name="tindak lanjut",
            ),
        ),
        migrations.AddField(
            model_name="payment",
            name="intent",
            field=models.CharField(
                blank=True,
                choices=[("start", "Memulai pembayaran"), ("refund", "Mengembalikan dana")],
                default="",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="payment",
            name="intent_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="payment",
            name="refunded_amount",
            field=models.PositiveIntegerField(default=0, verbose_name="dana dikembalikan"),
        ),
        migrations.AddIndex(
            model_name="payment",
            index=models.Index(
                condition=models.Q(("intent", ""), _negated=True),
                fields=["intent_at"],
                name="payment_open_intent",
            ),
        ),
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.CheckConstraint(
                condition=models.Q(("refunded_amount__lte", models.F("amount"))),
                name="payment_refund_within_amount",
            ),
        ),
        # Last: no ALTER TABLE after rows were written in this transaction.
        migrations.RunPython(refunded_whole, migrations.RunPython.noop),
    ]
