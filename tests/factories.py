"""Small factories for tests: plain functions with sensible defaults, overridable by keyword."""

import itertools
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import Max

from consortium.models import Membership, Programme, Project, ReportingPeriod, Role
from partners.models import BudgetLine, BudgetVersion, Contact, Organisation, Partner
from workpackages.models import Activity, Deliverable, Effort, Indicator, Milestone, WorkPackage

_seq = itertools.count(1)


def make_user(username: str | None = None, **kwargs):
    username = username or f"user{next(_seq)}"
    kwargs.setdefault("email", f"{username}@example.org")
    return get_user_model().objects.create_user(username=username, password="pw", **kwargs)


def make_programme(**kwargs) -> Programme:
    n = next(_seq)
    defaults = dict(name=f"Interreg Test Programme {n}", short_name=f"ITP{n}", start_year=2021, end_year=2027)
    return Programme.objects.create(**{**defaults, **kwargs})


def make_project(programme=None, **kwargs) -> Project:
    n = next(_seq)
    defaults = dict(acronym=f"PRJ{n}", title=f"Project {n}", start_date=date(2025, 1, 1), end_date=date(2027, 12, 31))
    return Project.objects.create(programme=programme or make_programme(), **{**defaults, **kwargs})


def make_organisation(**kwargs) -> Organisation:
    n = next(_seq)
    defaults = dict(name=f"Organisation {n}", short_name=f"ORG{n}", country="DK", legal_status="public")
    return Organisation.objects.create(**{**defaults, **kwargs})


def make_partner(project, organisation=None, **kwargs) -> Partner:
    number = kwargs.pop("number", None) or (project.partners.count() + 1)
    defaults = dict(role="partner", cofinancing_rate=Decimal("60.00"), funding_source="erdf")
    return Partner.objects.create(
        project=project, organisation=organisation or make_organisation(), number=number, **{**defaults, **kwargs}
    )


def make_period(project, number: int, start: date, end: date, due: date | None = None) -> ReportingPeriod:
    return ReportingPeriod.objects.create(
        project=project, number=number, start_date=start, end_date=end, report_due_date=due or end
    )


def make_work_package(project, lead_partner, **kwargs) -> WorkPackage:
    number = kwargs.pop("number", None) or (project.work_packages.count() + 1)
    defaults = dict(title=f"Work package {number}", start_month=1, end_month=project.duration_months)
    return WorkPackage.objects.create(
        project=project, lead_partner=lead_partner, number=number, **{**defaults, **kwargs}
    )


def make_activity(work_package, partners=(), **kwargs) -> Activity:
    number = kwargs.pop("number", None) or (work_package.activities.count() + 1)
    defaults = dict(title=f"Activity {number}", start_month=work_package.start_month, end_month=work_package.end_month)
    activity = Activity.objects.create(work_package=work_package, number=number, **{**defaults, **kwargs})
    activity.partners.set(partners)
    return activity


def make_deliverable(work_package, lead_partner=None, **kwargs) -> Deliverable:
    n = next(_seq)
    due = kwargs.pop("due_date", date(2026, 6, 30))
    defaults = dict(
        code=f"D{work_package.number}.{n}", title=f"Deliverable {n}", original_due_date=due, due_date=due,
    )
    return Deliverable.objects.create(
        project=work_package.project, work_package=work_package, lead_partner=lead_partner or work_package.lead_partner,
        **{**defaults, **kwargs},
    )


def make_milestone(work_package, **kwargs) -> Milestone:
    n = next(_seq)
    defaults = dict(code=f"MS{n}", title=f"Milestone {n}", due_date=date(2026, 6, 30))
    return Milestone.objects.create(project=work_package.project, work_package=work_package, **{**defaults, **kwargs})


def make_indicator(project, **kwargs) -> Indicator:
    n = next(_seq)
    defaults = dict(code=f"RCO{80 + n}", name=f"Indicator {n}", unit="organisation", target=Decimal("10"))
    return Indicator.objects.create(project=project, **{**defaults, **kwargs})


def make_budget_line(partner, cost_category="staff", amount=Decimal("100000.00"), period=None,
                     budget_version=None) -> BudgetLine:
    """A line of `budget_version`; without one, of the project's version 1 (approved, created when missing)."""
    return BudgetLine.objects.create(partner=partner, cost_category=cost_category, amount=amount, period=period,
                                     budget_version=budget_version)


def make_draft_budget_version(project, applies_from=1) -> BudgetVersion:
    """The project's draft budget version (created, numbered after the others, when it has none)."""
    draft = BudgetVersion.objects.filter(project=project, status=BudgetVersion.Status.DRAFT).first()
    if draft is None:
        number = (BudgetVersion.objects.filter(project=project).aggregate(n=Max("number"))["n"] or 0) + 1
        draft = BudgetVersion.objects.create(project=project, number=number, applies_from=applies_from)
    return draft


def make_effort(partner, work_package, person_months=Decimal("12.00")) -> Effort:
    return Effort.objects.create(partner=partner, work_package=work_package, person_months=person_months)


def make_contact(project, organisation, **kwargs) -> Contact:
    n = next(_seq)
    defaults = dict(name=f"Contact {n}", email=f"contact{n}@example.org", kind="partner_contact")
    return Contact.objects.create(project=project, organisation=organisation, **{**defaults, **kwargs})


def add_member(user, project, role: str, partner=None, controlled_partners=()) -> Membership:
    membership = Membership.objects.create(
        user=user, project=project, role=role, partner=partner if role == Role.REPORTER else None
    )
    membership.controlled_partners.set(controlled_partners)
    return membership


def make_certified_report(partner, period, reporter, mu, controller, amount: Decimal, currency: str, wp, today=None):
    """A report of one external line of `amount`, submitted, approved, verified as declared and certified
    (through the services: the claims' tests start from certified money)."""
    from reporting import services as reporting
    from reporting.models import LineControl

    report = reporting.report_create(partner=partner, period=period, user=reporter, today=today)
    reporting.report_update(report=report, expected_version=report.version, user=reporter, data={
        "summary": "Done.", "work_package_progress": [
            {"work_package": wp, "narrative": "Work done.", "objective_status": "partly"}]})
    reporting.expenditure_add(report=report, user=reporter, data={
        "cost_category": "external", "description": "Study", "supplier": "ACME", "invoice_number": "1",
        "invoice_date": date(2025, 3, 2), "payment_date": date(2025, 3, 9), "amount": amount, "currency": currency})
    reporting.report_submit(report=report, user=reporter, notify=False, today=today)
    reporting.report_approve(report=report, user=mu, notify=False, today=today)
    reporting.control_start(report=report, user=controller, notify=False)
    reporting.lines_verify_as_declared(report=report, user=controller, control_ids=list(
        LineControl.objects.filter(expenditure__report=report).values_list("pk", flat=True)))
    return reporting.report_certify(report=report, user=controller, notify=False)
