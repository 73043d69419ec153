"""Reading the Commission's monthly accounting rates (InforEuro) and loading them, all or nothing.

Two layouts are read:
- the Commission's InforEuro format, as its public service publishes a month's rates
  (`ec.europa.eu/budg/inforeuro/api/public/monthly-rates?year=YYYY&month=M`, the source Jems imports from):
  a JSON list with one object per currency — `country`, `currency`, `isoA3Code`, `isoA2Code`, `value`
  (units per EUR), `comment`. The file does not name its month, so the caller gives it.
- this project's CSV: `currency,month,rate` (month as YYYY-MM).
Only the currencies the system knows (DKK, SEK, NOK) are kept from an InforEuro file; it lists about 170.
Errors name the row (CSV: header = row 1) or the entry (InforEuro: its position, from 1); nothing is saved
while any is wrong.
"""

import csv
import io
import json
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction

from consortium.errors import DomainError, Problem
from consortium.models import first_of_month, local_today
from partners.models import Partner
from reporting.models import Currency, ExchangeRate, Expenditure
from reporting.services import exchange_rate_set

HEADER = ["currency", "month", "rate"]
KNOWN = [c for c in Currency.values if c != "EUR"]
Rate = tuple[str, date, Decimal]


def _rate(value) -> Decimal:
    rate = Decimal(str(value).strip())
    if not rate.is_finite() or rate <= 0 or -rate.as_tuple().exponent > 4:
        raise InvalidOperation
    return rate


def parse_csv(text: str) -> tuple[list[Rate], list[str]]:
    """(rates, errors) of the project's CSV layout; errors name the row and the column."""
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [cell.strip().lower() for cell in rows[0]] != HEADER:
        return [], [f"row 1: the header must be {','.join(HEADER)}"]
    rates, errors, seen = [], [], {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != 3:
            errors.append(f"row {number}: expected 3 columns, found {len(cells)}")
            continue
        currency, month_text, rate_text = (cell.strip() for cell in cells)
        row_errors = []
        if currency.upper() not in KNOWN:
            row_errors.append(f"row {number}.currency: unknown currency '{currency}' (use {', '.join(KNOWN)})")
        try:
            year, month = (int(part) for part in month_text.split("-"))
            month_start = date(year, month, 1)
        except ValueError:
            row_errors.append(f"row {number}.month: write the month as YYYY-MM, not '{month_text}'")
        try:
            rate = _rate(rate_text)
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


def parse_inforeuro(text: str, month: date) -> tuple[list[Rate], list[str]]:
    """(rates, errors) of an InforEuro month: the known currencies' `value`s, for `month`."""
    try:
        # Decimal, never float: 7.4604 must stay 7.4604.
        entries = json.loads(text, parse_float=Decimal, parse_int=Decimal)
    except ValueError:
        return [], ["the file is not the Commission's InforEuro format (a JSON list of rates)"]
    if not isinstance(entries, list):
        return [], ["the file is not the Commission's InforEuro format (a JSON list of rates)"]
    month = first_of_month(month)
    rates, errors, seen = [], [], set()
    for number, entry in enumerate(entries, start=1):
        code = str(entry.get("isoA3Code", "")).strip().upper() if isinstance(entry, dict) else ""
        if not code:
            errors.append(f"entry {number}: no isoA3Code")
            continue
        if code not in KNOWN:
            continue
        try:
            rate = _rate(entry.get("value"))
        except (InvalidOperation, TypeError):
            errors.append(f"entry {number} ({code}).value: a positive number with at most 4 decimals, "
                          f"not '{entry.get('value')}'")
            continue
        if code in seen:
            errors.append(f"entry {number}: {code} is listed twice")
            continue
        seen.add(code)
        rates.append((code, month, rate))
    if not rates and not errors:
        errors.append(f"the file has no rate for {', '.join(KNOWN)}")
    return rates, errors


def parse_rates_file(*, name: str, content: bytes, month: date | None) -> list[Rate]:
    """The rates of an uploaded or local file, by its layout (.json: InforEuro, needing `month`; .csv: ours);
    DomainError naming the file otherwise."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError("The file must be UTF-8 encoded.", field="file") from None
    lowered = (name or "").lower()
    if lowered.endswith(".json"):
        if month is None:
            raise DomainError("An InforEuro file does not name its month: give the month (YYYY-MM).", field="month")
        rates, errors = parse_inforeuro(text, month)
    elif lowered.endswith(".csv"):
        rates, errors = parse_csv(text)
    else:
        raise DomainError("Upload the Commission's InforEuro file (.json) or a CSV (currency,month,rate).",
                          field="file")
    if errors:
        raise DomainError("Nothing was imported: " + "; ".join(errors),
                          problems=[Problem("file", error) for error in errors])
    return rates


@transaction.atomic
def rates_import(*, rates: list[Rate], user=None) -> int:
    """Create or replace each rate (currency, month), all or nothing."""
    for currency, month, rate in rates:
        exchange_rate_set(currency=currency, month=month, rate=rate, user=user)
    return len(rates)


def rates_upload(*, name: str, content: bytes, month: date | None, user) -> int:
    """A site administrator's upload of a month's file (the web): read it, then load it all or nothing."""
    if not getattr(user, "is_superuser", False):
        raise PermissionDenied("Only a site administrator loads the Commission's rates.")
    return rates_import(rates=parse_rates_file(name=name, content=content, month=month), user=user)


def currencies_without_rate(project_ids: list[int], *, today: date | None = None) -> dict[int, list[str]]:
    """project -> the currencies in use (its partners' reporting currencies and its lines' currencies, EUR
    aside) that have no rate for this month: a report submitted now could not freeze them (two queries)."""
    month = first_of_month(today or local_today())
    used: dict[int, set[str]] = {pid: set() for pid in project_ids}
    for pid, currency in Partner.objects.filter(project__in=project_ids).exclude(
            reporting_currency="EUR").values_list("project_id", "reporting_currency"):
        used[pid].add(currency)
    for pid, currency in Expenditure.objects.filter(report__partner__project__in=project_ids).exclude(
            currency="EUR").values_list("report__partner__project_id", "currency").distinct():
        used[pid].add(currency)
    present = set(ExchangeRate.objects.filter(month=month).values_list("currency", flat=True))
    return {pid: sorted(currencies - present) for pid, currencies in used.items() if currencies - present}
