"""Stock on hand kept apart from what orders hold (issue 8).

Before: Variant.stock and StayNight.units_free were what was still free, and the seller
overwrote them. After: on_hand / rooms are the seller's numbers and allocated / booked what
orders hold. The data step rebuilds both from the orders that still hold their allocation, so
free stock is unchanged by the migration.
"""

from collections import defaultdict
from datetime import timedelta

from django.db import migrations, models

HOLDING = ["awaiting_payment", "paid", "processing", "ready_for_pickup"]
GONE = ["shipped", "completed"]


def forwards(apps, schema_editor):
    Order = apps.get_model("marketplace", "Order")
    OrderLine = apps.get_model("marketplace", "OrderLine")
    Variant = apps.get_model("marketplace", "Variant")
    StayNight = apps.get_model("marketplace", "StayNight")

    # Under the old model shipping consumed nothing: those orders' goods simply left.
    Order.objects.filter(status__in=GONE, holds_stock=True).update(holds_stock=False)

    allocated = defaultdict(int)
    for variant_id, quantity in OrderLine.objects.filter(
        order__holds_stock=True, order__status__in=HOLDING, variant__isnull=False
    ).values_list("variant_id", "quantity"):
        allocated[variant_id] += quantity
    for variant in Variant.objects.filter(pk__in=allocated):
        variant.allocated = allocated[variant.pk]
        variant.on_hand += variant.allocated  # old `stock` was the free part
        variant.save(update_fields=["allocated", "on_hand"])

    # Nights stay booked by every order that did not release them (consumed ones included).
    booked = defaultdict(int)
    for line in OrderLine.objects.filter(check_in__isnull=False).exclude(
        order__status__in=["cancelled", "expired"]
    ):
        night = line.check_in
        while night < line.check_out:
            booked[(line.product_id, night)] += line.quantity
            night += timedelta(days=1)
    for row in StayNight.objects.all().iterator():
        taken = booked.get((row.product_id, row.night), 0)
        if taken:
            row.booked = taken
            row.rooms += taken  # old `units_free` was the free part
            row.save(update_fields=["booked", "rooms"])


class Migration(migrations.Migration):
    dependencies = [
        ("marketplace", "0007_product_newest_indexes"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="variant", name="variant_stock_gte_0"),
        migrations.RemoveConstraint(model_name="staynight", name="stay_units_gte_0"),
        migrations.RenameField(model_name="variant", old_name="stock", new_name="on_hand"),
        migrations.AlterField(
            model_name="variant",
            name="on_hand",
            field=models.PositiveIntegerField(default=0, verbose_name="stok di tangan"),
        ),
        migrations.AddField(
            model_name="variant",
            name="allocated",
            field=models.PositiveIntegerField(default=0, verbose_name="dipesan"),
        ),
        migrations.RenameField(model_name="staynight", old_name="units_free", new_name="rooms"),
        migrations.AlterField(
            model_name="staynight",
            name="rooms",
            field=models.PositiveIntegerField(verbose_name="jumlah kamar"),
        ),
        migrations.AddField(
            model_name="staynight",
            name="booked",
            field=models.PositiveIntegerField(default=0, verbose_name="kamar terpesan"),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="variant",
            constraint=models.CheckConstraint(
                condition=models.Q(on_hand__gte=0, allocated__gte=0), name="variant_stock_gte_0"
            ),
        ),
        migrations.AddConstraint(
            model_name="variant",
            constraint=models.CheckConstraint(
                condition=models.Q(allocated__lte=models.F("on_hand")),
                name="variant_allocated_lte_on_hand",
            ),
        ),
        migrations.AddConstraint(
            model_name="staynight",
            constraint=models.CheckConstraint(
                condition=models.Q(rooms__gte=0, booked__gte=0), name="stay_units_gte_0"
            ),
        ),
        migrations.AddConstraint(
            model_name="staynight",
            constraint=models.CheckConstraint(
                condition=models.Q(booked__lte=models.F("rooms")), name="stay_not_overbooked"
            ),
        ),
    ]
