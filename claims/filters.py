"""Query-string filters of claims and payments (foreign keys as plain numbers: no existence probe)."""

import django_filters

from claims.models import Claim, PartnerTransfer, ProgrammePayment
from consortium.api.filters import IdFilter


class ClaimFilter(django_filters.FilterSet):
    project = IdFilter()
    period = IdFilter()

    class Meta:
        model = Claim
        fields = ["project", "period", "status"]


class ProgrammePaymentFilter(django_filters.FilterSet):
    project = IdFilter(field_name="claim__project")
    claim = IdFilter()
    partner = IdFilter()

    class Meta:
        model = ProgrammePayment
        fields = ["project", "claim", "partner", "fund"]


class PartnerTransferFilter(django_filters.FilterSet):
    project = IdFilter(field_name="claim__project")
    claim = IdFilter()
    partner = IdFilter()

    class Meta:
        model = PartnerTransfer
        fields = ["project", "claim", "partner"]
