from django.core.management.base import BaseCommand
from django.db import transaction

from marketplace.demo.accounts import ACCOUNTS, seed_accounts
from marketplace.demo.regions import seed_regions


class Command(BaseCommand):
    help = "Makes the demo data of Kabupaten Toba. Safe to run again: it adds only what is missing."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")

    def handle(self, *args, seed: int, **options) -> None:
        with transaction.atomic():
            kabupaten = seed_regions()
            seed_accounts()
        self.stdout.write(
            self.style.SUCCESS(
                f"Kabupaten {kabupaten.name}: {kabupaten.kecamatan.count()} kecamatan."
            )
        )
        self.stdout.write("Demo accounts (demo only):")
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.email:<22} {account.password:<16} {account.role}")
