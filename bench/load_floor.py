"""The floor of `bench/load.py`: each read the load test makes, as a plain Django view doing the same database work.

Mounted only by bench/load_settings.py (the bench's settings module), at `/floor` + the API's path: wrk then
cycles the same list of paths and tokens through both, so the ratio compares like with like. Each view does
what the API request does in the database — the token → user lookup (one query, the SHA-512 digest compared in
constant time, as knox does), the user's memberships (consortium.permissions), the same scoping by the same
permission functions, the same filter, order, page and count, the same nested rows — and returns `.values()`
through JsonResponse: no DRF, no filter set, no serializer. The middleware stack is the site's own.
"""

from hmac import compare_digest
from types import SimpleNamespace

from django.db.models import F, Q
from django.http import Http404, JsonResponse
from django.urls import include, path
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from knox.settings import CONSTANTS

from consortium import permissions as perms
from consortium.models import Project, local_today
from partners.models import LumpSumShare, Partner
from reporting import access
from reporting.models import (
    DeliverableContribution,
    EffortReported,
    Expenditure,
    IndicatorProgress,
    LineControl,
    ProgressReport,
    WorkPackageProgress,
)
from reporting.money import CONTROLLED_STATUSES, _all_frozen, claimable_filter, rates_for_month
from workpackages.models import Deliverable, WorkPackage

PAGE_SIZE = 50  # the API's default page (consortium.api.pagination)


class Unauthorized(Exception):
    pass


def token_user(request):
    """The token's user: one query (token joined to its user), the digest compared in constant time."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    for row in AuthToken.objects.filter(token_key=token[:CONSTANTS.TOKEN_KEY_LENGTH]).select_related("user"):
        if (scheme == "Token" and compare_digest(hash_token(token), row.digest)
                and (row.expiry is None or row.expiry >= timezone.now()) and row.user.is_active):
            return row.user
    raise Unauthorized


def floor(view):
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, token_user(request), *args, **kwargs)
        except Unauthorized:
            return JsonResponse({"detail": "Invalid token."}, status=401)
        except Http404:
            return JsonResponse({"detail": "Not found."}, status=404)
    return wrapped


def page(request, queryset):
    """`count` and one page of `.values()`, as the API's PageNumberPagination with `?page_size=`."""
    size = min(int(request.GET.get("page_size", PAGE_SIZE)), 500)
    return JsonResponse({"count": queryset.count(), "results": list(queryset.values()[:size])})


def by_project(request, queryset, field="project"):
    project = request.GET.get("project")
    return queryset.filter(**{field: int(project)}) if project else queryset


def one(queryset):
    row = queryset.values().first()
    if row is None:
        raise Http404
    return row


@floor
def projects(request, user):
    return page(request, perms.scope_to_projects(Project.objects.all(), user, project_field="pk"))


@floor
def partners(request, user):
    return page(request, by_project(request, perms.scope_to_projects(Partner.objects.all(), user)))


@floor
def deliverables(request, user):
    return page(request, by_project(request, perms.scope_to_projects(Deliverable.objects.all(), user)))


@floor
def deliverable(request, user, pk):
    row = one(perms.scope_to_members(Deliverable.objects.filter(pk=pk), user))
    perms.require(user, perms.Right.READ_PLAN, row["project_id"])
    return JsonResponse(row)


@floor
def work_packages(request, user):
    return page(request, by_project(request, perms.scope_to_projects(WorkPackage.objects.all(), user)))


@floor
def reports(request, user):
    queryset = access.readable(ProgressReport.objects.order_by("period__number", "partner__number"), user)
    return page(request, by_project(request, queryset, "partner__project"))


@floor
def report(request, user, pk):
    row = one(access.findable(ProgressReport.objects.filter(pk=pk), user))
    nested = {name: list(model.objects.filter(report_id=pk).values()) for name, model in (
        ("work_package_progress", WorkPackageProgress), ("deliverable_contributions", DeliverableContribution),
        ("indicator_progress", IndicatorProgress), ("effort", EffortReported))}
    return JsonResponse({**row, **nested})


@floor
def report_summary(request, user, pk):
    # The lump-sum filter needs the report's partner and period, as summarise_report's query does.
    report = access.findable(ProgressReport.objects.select_related("partner__project", "period"), user
                             ).filter(pk=pk).first()
    if report is None:
        raise Http404
    wanted = Q(claim__report_id=pk) | claimable_filter(report) if report.is_editable else Q(claim__report_id=pk)
    lines = list(Expenditure.objects.filter(report_id=pk).values())
    body = {"lines": lines,
            "lump_sums": list(LumpSumShare.objects.filter(wanted).values(
                "id", "lump_sum_id", "amount", "lump_sum__name", "lump_sum__period__number", "claim__amount"))}
    # While a line's rate is not frozen, the summary reads this month's rates (money's own rule decides when).
    if not _all_frozen([SimpleNamespace(**line) for line in lines]):
        body["rates"] = rates_for_month(local_today())
    if report.status in CONTROLLED_STATUSES:
        body["controls"] = list(LineControl.objects.filter(
            Q(expenditure__report=pk) | Q(lump_sum_claim__report=pk) | Q(certified_in=pk)
        ).order_by("id").values())
    return JsonResponse(body)


@floor
def expenditures(request, user):
    # The period's start is read as the API reads it (for `earlier_period`).
    queryset = access.readable(Expenditure.objects.annotate(period_start=F("report__period__start_date")), user,
                               partner_field="report__partner")
    return page(request, by_project(request, queryset, "report__partner__project"))


urlpatterns = [
    path("floor/api/projects/", projects),
    path("floor/api/partners/", partners),
    path("floor/api/deliverables/", deliverables),
    path("floor/api/deliverables/<int:pk>/", deliverable),
    path("floor/api/work-packages/", work_packages),
    path("floor/api/progress-reports/", reports),
    path("floor/api/progress-reports/<int:pk>/", report),
    path("floor/api/progress-reports/<int:pk>/summary/", report_summary),
    path("floor/api/expenditures/", expenditures),
    path("", include("consortium.urls")),
]
