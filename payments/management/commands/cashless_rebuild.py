"""manage.py cashless_rebuild [--check]: the cashless figures' cells recomputed from the
payments (payments.cashless), with a progress bar; --check only compares and exits 1 when a
cell differs, listing the first ones."""

from __future__ import annotations

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from payments import cashless


class Command(BaseCommand):
    help = "Recomputes the cashless report figures from the payments (--check: compare only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="compare, change nothing")

    def handle(self, *args, check: bool, **options) -> None:
        if check:
            differences = cashless.differences()
            for cell, kept, computed in differences[:20]:
                self.stdout.write(f"{cell}: kept {kept}, payments say {computed}")
            if differences:
                raise CommandError(f"{len(differences)} cells differ from the payments")
            self.stdout.write(self.style.SUCCESS("The cashless figures equal the payments."))
            return
        stream = getattr(self.stderr, "_out", sys.stderr)
        with tqdm(unit=" sel", desc="Rekap nontunai", file=stream, mininterval=0.5) as bar:
            cells = cashless.rebuild(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"{cells} cells recomputed from the payments."))
