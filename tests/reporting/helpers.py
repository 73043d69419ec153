"""Small helpers of the reporting tests."""

from decimal import Decimal

from reporting import services


def line(report, user, **data):
    defaults = {"cost_category": "travel", "description": "Train ticket", "amount": Decimal("100.00"),
                "currency": "EUR", "invoice_date": report.period.start_date}
    return services.expenditure_add(report=report, user=user, data={**defaults, **data})


def certify_as_declared(report):
    """An approved report taken into control and certified by a controller of its partner, every line and lump sum
    verified as declared: what the funder report counts (money follows the certificate)."""
    from consortium.models import Role
    from reporting.models import ProgressReport
    from reporting.selectors import report_controls
    from tests import factories as f

    report = ProgressReport.objects.select_related("partner__project").get(pk=report.pk)
    controller = f.make_user(f"flc-of-report-{report.pk}")
    f.add_member(controller, report.partner.project, Role.CONTROLLER, controlled_partners=[report.partner])
    services.control_start(report=report, user=controller, notify=False)
    services.lines_verify_as_declared(report=report, control_ids=[c.pk for c in report_controls(report)],
                                      user=controller)
    return services.report_certify(report=report, user=controller, notify=False)
