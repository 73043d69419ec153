from django.urls import path

from web.views import account, budgets, calendar, deliverables, pages, plan, rates, reports, reviews

app_name = "web"

urlpatterns = [
    path("", pages.dashboard, name="dashboard"),
    path("projects/<int:project_id>/", pages.project_overview, name="project"),
    path("projects/<int:project_id>/partners/", pages.project_partners, name="partners"),
    path("projects/<int:project_id>/calendar/", calendar.calendar, name="calendar"),
    path("projects/<int:project_id>/lump-sums/<int:lump_sum_id>/achieved/", plan.lump_sum_achieved,
         name="lump-sum-achieved"),
    path("projects/<int:project_id>/budget-versions/", budgets.budget_versions, name="budget-versions"),
    path("projects/<int:project_id>/budget-versions/<int:version_id>/", budgets.budget_version,
         name="budget-version"),
    path("projects/<int:project_id>/budget-versions/<int:version_id>/edit/", budgets.budget_version_edit,
         name="budget-version-edit"),
    path("projects/<int:project_id>/budget-versions/<int:version_id>/lines/", budgets.budget_version_line,
         name="budget-version-line"),
    path("projects/<int:project_id>/budget-versions/<int:version_id>/approve/", budgets.budget_version_approve,
         name="budget-version-approve"),
    path("projects/<int:project_id>/budget-versions/<int:version_id>/delete/", budgets.budget_version_delete,
         name="budget-version-delete"),
    path("projects/<int:project_id>/work-plan/", pages.project_workplan, name="workplan"),
    path("projects/<int:project_id>/milestones/", pages.project_milestones, name="milestones"),
    path("projects/<int:project_id>/deliverables/", deliverables.tracker, name="deliverables"),
    path("projects/<int:project_id>/deliverables/<int:deliverable_id>/status/", deliverables.change_status,
         name="deliverable-status"),
    path("projects/<int:project_id>/reports/", pages.project_reports, name="reports"),
    # Progress reports (web part 2): reporters fill in and submit, the MU reviews.
    path("projects/<int:project_id>/my-report/", reports.my_report, name="my-report"),
    path("projects/<int:project_id>/partners/<int:partner_id>/report/", reports.start, name="report-start"),
    path("projects/<int:project_id>/reports/<int:report_id>/", reports.report, name="report"),
    path("projects/<int:project_id>/reports/<int:report_id>/lines/", reports.line_add, name="report-line-add"),
    path("projects/<int:project_id>/reports/<int:report_id>/lines/<int:line_id>/", reports.line_edit,
         name="report-line"),
    path("projects/<int:project_id>/reports/<int:report_id>/lines/<int:line_id>/delete/", reports.line_delete,
         name="report-line-delete"),
    path("projects/<int:project_id>/reports/<int:report_id>/lines/<int:line_id>/attachment/",
         reports.line_attachment, name="report-line-attachment"),
    path("projects/<int:project_id>/reports/<int:report_id>/import/", reports.import_lines, name="report-import"),
    path("projects/<int:project_id>/reports/<int:report_id>/files/", reports.files_add, name="report-files"),
    path("projects/<int:project_id>/reports/<int:report_id>/files/<int:file_id>/", reports.file_download,
         name="report-file"),
    path("projects/<int:project_id>/reports/<int:report_id>/review/", reviews.review, name="review"),
    path("projects/<int:project_id>/periods/<int:period_number>/project-report/", reviews.project_report,
         name="project-report"),
    path("reviews/", reviews.queue, name="review-queue"),
    path("account/", account.account, name="account"),
    path("exchange-rates/", rates.exchange_rates, name="exchange-rates"),
    # Django's set_language, which also keeps a signed-in person's choice as their language setting.
    path("i18n/setlang/", account.set_language, name="set-language"),
]
