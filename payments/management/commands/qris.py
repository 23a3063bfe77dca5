import json

from django.core.management.base import BaseCommand, CommandError

from payments import qris


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
            raw = options["amount"].replace(".", "").replace(",", "")
            if not raw.isdigit():
                raise qris.QrisError(
                    f"Nominal harus bilangan bulat rupiah, bukan {options['amount']!r}."
                )
            self.stdout.write(qris.to_dynamic(payload, int(raw), options["reference"]))
        except qris.QrisError as exc:
            raise CommandError(str(exc)) from exc
