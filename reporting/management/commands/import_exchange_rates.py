"""Load monthly exchange rates: the Commission's InforEuro file of a month (.json, with --month), or a CSV
(currency,month,rate; units per EUR). Layouts: reporting/rates.py.

All or nothing: every bad row or entry is reported and nothing is saved; an existing rate for the same
currency and month is replaced.
"""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from consortium.errors import DomainError
from reporting.rates import parse_rates_file, rates_import


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise CommandError(f"--month: write the month as YYYY-MM, not '{text}'") from None


class Command(BaseCommand):
    help = ("Import monthly exchange rates (units per EUR), all or nothing: the Commission's InforEuro file of a "
            "month (.json, with --month YYYY-MM) or a CSV with the header currency,month,rate.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="an InforEuro .json file, or a .csv with the header currency,month,rate")
        parser.add_argument("--month", help="YYYY-MM: the month of an InforEuro file (it does not name it)")

    def handle(self, *args, file, month=None, **options):
        try:
            with open(file, "rb") as handle:
                content = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        try:
            rates = parse_rates_file(name=file, content=content, month=_month(month) if month else None)
        except DomainError as error:
            raise CommandError(str(error)) from None
        count = rates_import(rates=rates)
        self.stdout.write(self.style.SUCCESS(f"Imported {count} exchange rate(s)."))
