import inspect
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string
from tqdm import tqdm

from marketplace.demo.accounts import ACCOUNTS, seed_accounts
from marketplace.demo.catalog import seed_bulk_products, seed_catalog
from marketplace.demo.delivery import seed_delivery
from marketplace.demo.regions import seed_regions
from marketplace.models import Product, ProductStatus, Shop


class Command(BaseCommand):
    help = (
        "Makes the demo data of Kabupaten Toba: kecamatan and desa, categories, demo accounts, "
        "about forty verified shops with goods, experiences and stays. Safe to run again: it "
        "adds only what is missing. --products N scales the catalog to N products."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
        parser.add_argument(
            "--payments",
            type=int,
            default=None,
            metavar="N",
            help="a history of N demo payments over the last year (default about 2,400; "
            "1000000 for the report benchmarks), for the steps that make one",
        )
        parser.add_argument(
            "--products",
            type=int,
            default=None,
            metavar="N",
            help="make generated products until the demo catalog holds N (e.g. 100000 for "
            "benchmarks); without it, only the hand-written catalog",
        )

    def handle(
        self, *args, seed: int, products: int | None, payments: int | None, **options
    ) -> None:
        if products is not None and products < 0:
            raise CommandError("--products must be 0 or more")
        if payments is not None and payments < 0:
            raise CommandError("--payments must be 0 or more")
        step_options = {"seed": seed, "payments": payments}
        started = time.monotonic()
        with transaction.atomic():
            kabupaten = seed_regions()
            users = seed_accounts()
            catalog = seed_catalog(seed=seed, users=users)
            seed_delivery()
            # Other apps add their demo data through steps named in settings, since the
            # marketplace imports none of them.
            for step in settings.DEMO_SEED_STEPS:
                run = import_string(step)
                accepted = inspect.signature(run).parameters
                run(**{name: value for name, value in step_options.items() if name in accepted})
        made = catalog.created
        if products:
            total = max(0, products - catalog.curated)
            # tqdm redraws its line with "\r": it needs the raw stream, not Django's wrapper,
            # which would end every write with a newline.
            stream = getattr(self.stderr, "_out", sys.stderr)
            with tqdm(
                total=total, unit=" produk", desc="Produk", file=stream, mininterval=0.5
            ) as bar:
                made += seed_bulk_products(
                    seed=seed,
                    total=products,
                    shops=catalog.shops,
                    curated=catalog.curated,
                    progress=bar.update,
                )
        if connection.vendor == "postgresql":
            # Fresh statistics, so the planner knows the tables just grew (autovacuum may lag).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Kabupaten {kabupaten.name}: {kabupaten.kecamatan.count()} kecamatan, "
                f"{Shop.objects.filter(status='verified').count()} verified shops, "
                f"{Product.objects.filter(status=ProductStatus.ACTIVE).count()} active products "
                f"({made} made now, {elapsed:.1f} s)."
            )
        )
        self.stdout.write("Demo accounts (demo only):")
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.email:<22} {account.password:<16} {account.role}")
