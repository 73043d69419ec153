"""Writes to organisations, partners, contacts and budget lines (validated, versioned)."""

from consortium.services import create_validated, update_versioned
from partners.models import BudgetLine, Contact, Organisation, Partner


def organisation_create(*, data: dict) -> Organisation:
    return create_validated(Organisation, data=data)


def organisation_update(*, instance: Organisation, expected_version: int, data: dict) -> Organisation:
    return update_versioned(instance, expected_version=expected_version, data=data)


def partner_create(*, data: dict) -> Partner:
    return create_validated(Partner, data=data)


def partner_update(*, instance: Partner, expected_version: int, data: dict) -> Partner:
    return update_versioned(instance, expected_version=expected_version, data=data)


def contact_create(*, data: dict) -> Contact:
    return create_validated(Contact, data=data)


def contact_update(*, instance: Contact, expected_version: int, data: dict) -> Contact:
    return update_versioned(instance, expected_version=expected_version, data=data)


def budget_line_create(*, data: dict) -> BudgetLine:
    return create_validated(BudgetLine, data=data)


def budget_line_update(*, instance: BudgetLine, expected_version: int, data: dict) -> BudgetLine:
    return update_versioned(instance, expected_version=expected_version, data=data)
