import json
import re

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from payments import qris

# Whole rupiah: plain ASCII digits, or thousands grouped by "." (Indonesian) or "," (English).
# Anything else ("12,50", "125.00", "1e5", "²") is refused rather than guessed at.
AMOUNT = re.compile(r"[0-9]+|[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]{1,3}(?:,[0-9]{3})+")


class Command(BaseCommand):
    help = "QRIS payloads: `qris decode PAYLOAD` prints the fields as JSON; `qris dynamic PAYLOAD AMOUNT` prints the dynamic payload for that amount in rupiah."  # noqa: E501

    def add_arguments(self, parser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        decode = actions.add_parser("decode", help="print the decoded fields as JSON")
        decode.add_argument("payload")
        dynamic = actions.add_parser("dynamic", help="print a dynamic payload for an amount")
        dynamic.add_argument("payload")
        dynamic.add_argument("amount", help="whole rupiah, e.g. 125000")
        dynamic.add_argument("--reference", default=None)

    def handle(self, *args, action: str, payload: str, **options) -> None:
        try:
            if action == "decode":
                decoded = qris.parse(payload).as_dict()
                self.stdout.write(json.dumps(decoded, indent=2, ensure_ascii=False))
                return
            raw = options["amount"].strip()
            if not AMOUNT.fullmatch(raw):
                raise qris.QrisError(
                    _(
                        "Nominal harus bilangan bulat rupiah, misalnya 125000 atau 125.000, "
                        "bukan %(value)s."
                    )
                    % {"value": repr(options["amount"])}
                )
            amount = int(raw.replace(".", "").replace(",", ""))
            self.stdout.write(qris.to_dynamic(payload, amount, options["reference"]))
        except qris.QrisError as exc:
            raise CommandError(str(exc)) from exc
