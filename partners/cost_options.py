"""Cost categories and the simplified cost options: what a partner may choose, and which report lines each
choice rules out.

This module says what is allowed; `reporting.money` computes what the choices amount to
(`compute_flat_rates`). It is kept apart from money.py because it is about choices and their
exclusions, not arithmetic. It lives in the plan's app because a partner's options are part of the
plan: the Partner model's fields use its TextChoices and `Partner.cost_options` builds its
`CostOptions`, and partners/services.py validates them where they are set. It imports nothing but
Django (partners/models.py and reporting/money.py import it).

Every check returns all its violations at once, as `Violation(field, message)`, so that a form or a
submission can show them together; the caller turns them into the project's DomainError.
Sources: DOMAIN.md §1 (CPR 2021/1060 Art. 54–56, Interreg Reg. 2021/1059 Art. 41, Jems' calculator).
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class CostCategory(models.TextChoices):
    STAFF = "staff", _("Staff")
    OFFICE_ADMIN = "office_admin", _("Office & administration")
    TRAVEL = "travel", _("Travel & accommodation")
    EXTERNAL = "external", _("External expertise & services")
    EQUIPMENT = "equipment", _("Equipment")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure & works")


class OfficeOption(models.TextChoices):
    REAL = "real", _("Real costs")
    FLAT_STAFF = "flat_staff", _("Flat rate on direct staff costs")
    FLAT_DIRECT = "flat_direct", _("Flat rate on direct costs")


class TravelOption(models.TextChoices):
    REAL = "real", _("Real costs")
    FLAT_STAFF = "flat_staff", _("Flat rate on direct staff costs")


class StaffOption(models.TextChoices):
    REAL = "real", _("Real costs")
    FLAT_DIRECT = "flat_direct", _("Flat rate on direct costs other than staff costs")


class StaffCostMethod(models.TextChoices):
    """How one staff line is costed (Interreg Reg. 2021/1059 Art. 39; CPR Art. 55)."""

    HOURLY = "hourly", _("Hourly rate")
    FIXED_PERCENTAGE = "fixed_percentage", _("Fixed percentage of time")
    FULL_TIME = "full_time", _("Full time")


@dataclass(frozen=True)
class ProgrammeMaxima:
    """The highest rate, in percent, a programme allows for each flat rate.

    The defaults are the regulations' ceilings; a programme may set lower ones, never higher.
    """

    office_on_staff: Decimal = Decimal("15.00")  # CPR Art. 54(b)
    office_on_direct: Decimal = Decimal("7.00")  # CPR Art. 54(a)
    travel_on_staff: Decimal = Decimal("15.00")  # Interreg Reg. Art. 41(5)
    staff_on_direct: Decimal = Decimal("20.00")  # CPR Art. 55(1)
    other_costs_on_staff: Decimal = Decimal("40.00")  # CPR Art. 56(1)


REGULATION_MAXIMA = ProgrammeMaxima()
# Jems accepts any flat rate from 1 to 100 % (UpdateFlatRateValidator); the maxima above narrow it.
LOWEST_FLAT_RATE = Decimal("1.00")
HIGHEST_FLAT_RATE = Decimal("100.00")


@dataclass(frozen=True)
class CostOptions:
    """A partner's simplified cost options; a rate is a percentage with 2 decimals, empty for real costs.

    Field names are the partner model's fields (`Partner.cost_options` builds one), so a
    `Violation.field` names the form or API field to mark.
    """

    office_option: str = OfficeOption.REAL
    office_flat_rate: Decimal | None = None
    travel_option: str = TravelOption.REAL
    travel_flat_rate: Decimal | None = None
    staff_option: str = StaffOption.REAL
    staff_flat_rate: Decimal | None = None
    uses_other_costs_flat_rate: bool = False
    other_costs_flat_rate: Decimal | None = None

    @property
    def office_is_flat(self) -> bool:
        return self.office_option != OfficeOption.REAL

    @property
    def travel_is_flat(self) -> bool:
        return self.travel_option != TravelOption.REAL

    @property
    def staff_is_flat(self) -> bool:
        return self.staff_option != StaffOption.REAL


@dataclass(frozen=True)
class Violation:
    field: str
    message: str


def has_at_most_two_decimals(value: Decimal) -> bool:
    return value == value.quantize(Decimal("0.01"))


# English names for messages: DomainError messages are English throughout the project.
_CATEGORY_NAMES = {
    CostCategory.STAFF: "staff",
    CostCategory.OFFICE_ADMIN: "office & administration",
    CostCategory.TRAVEL: "travel & accommodation",
    CostCategory.EXTERNAL: "external expertise & services",
    CostCategory.EQUIPMENT: "equipment",
    CostCategory.INFRASTRUCTURE: "infrastructure & works",
}
_OFFICE_FLAT_NAMES = {
    OfficeOption.FLAT_STAFF: "office & administration flat rate on direct staff costs",
    OfficeOption.FLAT_DIRECT: "office & administration flat rate on direct costs",
}
_TRAVEL_FLAT_NAME = "travel & accommodation flat rate on direct staff costs"
_STAFF_FLAT_NAME = "staff flat rate on direct costs other than staff costs"
_OTHER_COSTS_FLAT_NAME = "other-costs flat rate on direct staff costs"


def option_violations(options: CostOptions, maxima: ProgrammeMaxima = REGULATION_MAXIMA) -> list[Violation]:
    """Everything wrong with a set of options, checked where the options are set (empty: they are valid)."""
    flat_rate_options = [
        # option field, its choices, category name, rate field, {flat-rate choice: (its name, its maximum)}
        ("office_option", OfficeOption, "office & administration", "office_flat_rate", {
            OfficeOption.FLAT_STAFF: (_OFFICE_FLAT_NAMES[OfficeOption.FLAT_STAFF], maxima.office_on_staff),
            OfficeOption.FLAT_DIRECT: (_OFFICE_FLAT_NAMES[OfficeOption.FLAT_DIRECT], maxima.office_on_direct),
        }),
        ("travel_option", TravelOption, "travel & accommodation", "travel_flat_rate", {
            TravelOption.FLAT_STAFF: (_TRAVEL_FLAT_NAME, maxima.travel_on_staff),
        }),
        ("staff_option", StaffOption, "staff", "staff_flat_rate", {
            StaffOption.FLAT_DIRECT: (_STAFF_FLAT_NAME, maxima.staff_on_direct),
        }),
    ]
    violations = []
    for option_field, choices, category_name, rate_field, flat_rates in flat_rate_options:
        choice, rate = getattr(options, option_field), getattr(options, rate_field)
        if choice not in choices.values:
            violations.append(Violation(option_field, f"'{choice}' is not an option for {category_name} costs; "
                                                      f"choose one of {', '.join(choices.values)}."))
        elif choice in flat_rates:
            violations += _flat_rate_violations(rate_field, *flat_rates[choice], rate)
        elif rate:
            violations.append(Violation(rate_field, f"The {category_name} costs are claimed as real costs; "
                                                    "leave the flat rate empty."))
    if options.uses_other_costs_flat_rate:
        violations += _flat_rate_violations("other_costs_flat_rate", _OTHER_COSTS_FLAT_NAME,
                                            maxima.other_costs_on_staff, options.other_costs_flat_rate)
        violations += _other_costs_exclusions(options)
    elif options.other_costs_flat_rate:
        violations.append(Violation("other_costs_flat_rate", "The other-costs flat rate is not used; "
                                                             "leave its rate empty."))
    return violations


def _flat_rate_violations(field: str, name: str, maximum: Decimal, rate: Decimal | None) -> list[Violation]:
    if rate is None:
        return [Violation(field, f"The {name} needs a rate, in percent.")]
    rate = Decimal(rate)
    if not has_at_most_two_decimals(rate):
        return [Violation(field, f"The {name} has at most 2 decimals; {rate} was given.")]
    if rate < LOWEST_FLAT_RATE:
        return [Violation(field, f"The {name} must be at least {LOWEST_FLAT_RATE} %; {rate} % was given.")]
    ceiling = min(maximum, HIGHEST_FLAT_RATE)
    if rate > ceiling:
        return [Violation(field, f"The {name} may be at most {ceiling} % in this programme; {rate} % was given.")]
    return []


def _other_costs_exclusions(options: CostOptions) -> list[Violation]:
    """The 40 % option covers every category but staff and needs staff at real cost (CPR Art. 56)."""
    field = "uses_other_costs_flat_rate"
    violations = []
    if options.office_is_flat:
        violations.append(Violation(field, "The other-costs flat rate already covers office & administration; "
                                           "it cannot be combined with an office & administration flat rate."))
    if options.travel_is_flat:
        violations.append(Violation(field, "The other-costs flat rate already covers travel & accommodation; "
                                           "it cannot be combined with a travel & accommodation flat rate."))
    if options.staff_is_flat:
        violations.append(Violation(field, "The other-costs flat rate is calculated on real staff costs; "
                                           "it cannot be combined with the staff flat rate."))
    return violations


def line_violations(options: CostOptions, lines: Iterable, *, prefix: str = "expenditures") -> list[Violation]:
    """Every report line that the options rule out, by line (checked at submission).

    `lines` are anything with a `cost_category`, in the order the report lists them; a line is named
    `{prefix}[index].cost_category`, as `reporting.services.submission_errors` names lines. Unit-cost
    lines carry their category and count as real lines of it; lump-sum claims belong to no category
    and are not passed here.
    """
    reasons = excluded_categories(options)
    return [
        Violation(f"{prefix}[{index}].cost_category", reasons[line.cost_category])
        for index, line in enumerate(lines)
        if line.cost_category in reasons
    ]


def excluded_categories(options: CostOptions) -> dict[str, str]:
    """category -> why no real line of it may be declared; an editor offers only the other categories."""
    reasons = {}
    if options.uses_other_costs_flat_rate:
        for category, name in _CATEGORY_NAMES.items():
            if category != CostCategory.STAFF:
                reasons[category] = (
                    f"Your organisation claims the other-costs flat rate of {options.other_costs_flat_rate} % of "
                    f"direct staff costs, which covers {name} costs; real {name} costs cannot be declared."
                )
    if options.office_is_flat:
        reasons[CostCategory.OFFICE_ADMIN] = (
            f"Your organisation claims the {_OFFICE_FLAT_NAMES.get(options.office_option)} "
            f"({options.office_flat_rate} %); real office & administration costs cannot be declared as well."
        )
    if options.travel_is_flat:
        reasons[CostCategory.TRAVEL] = (
            f"Your organisation claims the {_TRAVEL_FLAT_NAME} ({options.travel_flat_rate} %); "
            "real travel & accommodation costs cannot be declared as well."
        )
    if options.staff_is_flat:
        reasons[CostCategory.STAFF] = (
            f"Your organisation claims the {_STAFF_FLAT_NAME} ({options.staff_flat_rate} %); "
            "real staff costs cannot be declared as well."
        )
    return reasons


def lump_sum_share_violations(amount: Decimal, shares: Mapping[Hashable, Decimal], *,
                              prefix: str = "shares") -> list[Violation]:
    """Partners' shares of a lump sum are amounts (as in Jems): each positive, in cents, together the whole sum."""
    violations = [
        Violation(f"{prefix}[{partner}]", f"A share must be a positive amount in cents; {share} was given.")
        for partner, share in shares.items()
        if not (share > 0 and has_at_most_two_decimals(Decimal(share)))
    ]
    total = sum(shares.values(), Decimal("0.00"))
    if total != amount:
        # Unrounded, so that a share given to a fraction of a cent does not hide in the total.
        violations.append(Violation(prefix, f"The partners' shares add up to {total:,}, not to the lump sum of "
                                             f"{Decimal(amount):,}."))
    return violations
