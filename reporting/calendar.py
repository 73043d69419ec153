"""The deadlines calendar: `/api/projects/{id}/deadlines.ics?token=…` and its feed token.

Calendar apps cannot send an API token, so the feed is authorised by a per-user, per-project,
read-only key (CalendarFeedToken) in the URL, and by nothing else: the API token and the session
are ignored there. Resetting the key invalidates every URL handed out before. A key whose user
has left the project (or a wrong key) is a 404, for good: ending the membership deletes the key,
and a key older than the user's current membership is refused, so a re-invited person needs a new one.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db import transaction
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from icalendar import Calendar, Event
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from consortium import permissions as perms
from consortium.api.errors import ERROR_RESPONSES
from consortium.models import CalendarFeedToken, Project, ReportingPeriod, Role, new_feed_key
from consortium.text import one_line, safe_filename
from reporting.exports import FirstRenderer
from workpackages.models import Deliverable, Milestone


@dataclass(frozen=True)
class Deadline:
    uid: str
    day: date
    summary: str
    description: str


def deadlines_for(user, project: Project) -> list[Deadline]:
    """What this user sees: deliverables and milestones (every member), report due dates (report readers)."""
    items = []
    deliverables = Deliverable.objects.filter(project=project).exclude(status=Deliverable.Status.CANCELLED)
    for d in deliverables.select_related("work_package", "lead_partner__organisation").order_by("due_date", "code"):
        items.append(Deadline(f"deliverable-{d.pk}@consortium", d.due_date,
                              f"{project.acronym} {d.code} due: {d.title}",
                              f"Lead: {d.lead_partner}. Status: {d.get_status_display()}."))
    for m in Milestone.objects.filter(project=project).order_by("due_date", "code"):
        items.append(Deadline(f"milestone-{m.pk}@consortium", m.due_date, f"{project.acronym} {m.code}: {m.title}",
                              m.means_of_verification))
    periods = ReportingPeriod.objects.filter(project=project).order_by("number")
    if perms.has_right(user, perms.Right.READ_ALL_REPORTS, project.pk):
        items += [Deadline(f"report-due-{p.pk}@consortium", p.report_due_date,
                           f"{project.acronym} partner reports due (period {p.number})",
                           f"Period {p.number}: {p.start_date:%d.%m.%Y}–{p.end_date:%d.%m.%Y}.") for p in periods]
    else:
        membership = perms.memberships(user).get(project.pk)
        if membership is not None and membership.role == Role.REPORTER:
            partner = membership.partner
            items += [Deadline(f"report-due-{p.pk}-partner-{partner.pk}@consortium", p.report_due_date,
                               f"{project.acronym} {partner} report due (period {p.number})",
                               f"Period {p.number}: {p.start_date:%d.%m.%Y}–{p.end_date:%d.%m.%Y}.")
                      for p in periods]
    return items


def render_ics(project: Project, deadlines: list[Deadline], *, stamp: datetime | None = None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Consortium//deadlines//EN")
    calendar.add("version", "2.0")
    # Names are one line by now (consortium/text.py), but a row stored before must not break the feed.
    calendar.add("x-wr-calname", one_line(f"{project.acronym} deadlines"))
    stamp = stamp or datetime.now(UTC)
    for item in deadlines:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))  # all-day: DTEND is exclusive
        event.add("summary", one_line(item.summary))
        if item.description:
            event.add("description", item.description)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def _from_an_earlier_membership(token: CalendarFeedToken) -> bool:
    membership = perms.memberships(token.user).get(token.project_id)
    return membership is not None and token.created_at < membership.created_at


def calendar_token_get_or_create(*, user, project: Project) -> CalendarFeedToken:
    token, _ = CalendarFeedToken.objects.get_or_create(user=user, project=project)
    if _from_an_earlier_membership(token):  # left behind when a membership ended outside the service
        token.delete()
        token = CalendarFeedToken.objects.create(user=user, project=project)
    return token


@transaction.atomic
def calendar_token_reset(*, user, project: Project) -> CalendarFeedToken:
    """A new key for the user's feed: the old URL stops working at once."""
    token = CalendarFeedToken.objects.select_for_update().filter(user=user, project=project).first()
    if token is None:
        return CalendarFeedToken.objects.create(user=user, project=project)
    token.key = new_feed_key()
    token.save(update_fields=["key"])
    return token


class DeadlinesFeedView(APIView):
    # Only the feed key counts: no API token, no session (a calendar app has neither).
    authentication_classes = []
    permission_classes = []
    content_negotiation_class = FirstRenderer

    @extend_schema(
        operation_id="deadlines_calendar",
        parameters=[OpenApiParameter("token", str, required=True, description="The feed key of calendar-token/.")],
        responses={(200, "text/calendar"): OpenApiResponse(OpenApiTypes.BINARY), 404: ERROR_RESPONSES[404]},
        auth=[],
    )
    def get(self, request, project_id: int):
        key = request.query_params.get("token", "")
        # An id beyond 64 bits cannot exist (and overflowed the query: a 500 the fuzzing found).
        token = (CalendarFeedToken.objects.select_related("user", "project").filter(key=key, project_id=project_id)
                 .first() if key and project_id <= perms.MAX_ID else None)
        if token is None or not token.user.is_active or not perms.is_member(token.user, project_id):
            raise Http404
        if _from_an_earlier_membership(token):
            raise Http404  # a key from an earlier membership: it ended, and with it this URL, for good
        body = render_ics(token.project, deadlines_for(token.user, token.project))
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(
            False, safe_filename(f"{token.project.acronym}-deadlines.ics"))
        return response


TokenResponse = inline_serializer("CalendarToken", {"token": serializers.CharField(), "url": serializers.URLField(),
                                                    "created_at": serializers.DateTimeField()})


class CalendarTokenView(APIView):
    """GET: your feed URL for this project (a key is made on first use). POST: a new key; the old URL dies."""

    def _body(self, request, token: CalendarFeedToken) -> dict:
        path = reverse("deadlines-ics", kwargs={"project_id": token.project_id})
        return {"token": token.key, "url": request.build_absolute_uri(f"{path}?token={token.key}"),
                "created_at": token.created_at}

    @extend_schema(operation_id="calendar_token_show", request=None, responses={200: TokenResponse, **ERROR_RESPONSES})
    def get(self, request, project_id: int):
        project = perms.project_or_404(request.user, project_id)
        return Response(self._body(request, calendar_token_get_or_create(user=request.user, project=project)))

    @extend_schema(operation_id="calendar_token_reset", request=None, responses={200: TokenResponse, **ERROR_RESPONSES})
    def post(self, request, project_id: int):
        project = perms.project_or_404(request.user, project_id)
        return Response(self._body(request, calendar_token_reset(user=request.user, project=project)))


urlpatterns = [
    path("projects/<int:project_id>/deadlines.ics", DeadlinesFeedView.as_view(), name="deadlines-ics"),
    path("projects/<int:project_id>/calendar-token/", CalendarTokenView.as_view(), name="calendar-token"),
]
