"""Load monthly exchange rates from a CSV file: currency, month (YYYY-MM), rate (units per EUR).

All or nothing: every bad row is reported (as the spreadsheet numbers it, header = row 1) and
nothing is saved; existing rates for the same currency and month are replaced.
"""

import csv
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from reporting.models import Currency
from reporting.services import exchange_rate_set

HEADER = ["currency", "month", "rate"]


def parse_rates(lines) -> tuple[list[tuple[str, date, Decimal]], list[str]]:
    """(rates, errors) of a CSV's lines; errors name the row and the column."""
    rows = list(csv.reader(lines))
    if not rows or [cell.strip().lower() for cell in rows[0]] != HEADER:
        return [], [f"row 1: the header must be {','.join(HEADER)}"]
    rates, errors, seen = [], [], {}
    known = [c for c in Currency.values if c != "EUR"]
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != 3:
            errors.append(f"row {number}: expected 3 columns, found {len(cells)}")
            continue
        currency, month_text, rate_text = (cell.strip() for cell in cells)
        row_errors = []
        if currency.upper() not in known:
            row_errors.append(f"row {number}.currency: unknown currency '{currency}' (use {', '.join(known)})")
        try:
            year, month = (int(part) for part in month_text.split("-"))
            month_start = date(year, month, 1)
        except ValueError:
            row_errors.append(f"row {number}.month: write the month as YYYY-MM, not '{month_text}'")
        try:
            rate = Decimal(rate_text)
            if not rate.is_finite() or rate <= 0 or -rate.as_tuple().exponent > 4:
                raise InvalidOperation
        except InvalidOperation:
            row_errors.append(f"row {number}.rate: a positive number with at most 4 decimals, not '{rate_text}'")
        if not row_errors:
            key = (currency.upper(), month_start)
            if key in seen:
                row_errors.append(f"row {number}: {currency.upper()} {month_text} is already on row {seen[key]}")
            seen[key] = number
            rates.append((currency.upper(), month_start, rate))
        errors.extend(row_errors)
    return rates, errors


class Command(BaseCommand):
    help = "Import monthly exchange rates (CSV: currency,month,rate; units per EUR), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV with the header currency,month,rate (month as YYYY-MM)")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8-sig", newline="") as handle:
                rates, errors = parse_rates(handle)
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        if errors:
            raise CommandError("Nothing was imported:\n" + "\n".join(errors))
        with transaction.atomic():
            for currency, month, rate in rates:
                exchange_rate_set(currency=currency, month=month, rate=rate)
        self.stdout.write(self.style.SUCCESS(f"Imported {len(rates)} exchange rate(s)."))
