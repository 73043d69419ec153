"""Payment claims and payments: the MU claims certified reports from the programme, records its verdict, the
money received and what it passed on; coordinators read; a reporter reads its own partner's part; viewers
nothing of money (claims.access decides, as for the API)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from claims import access, services
from claims.models import Claim, PartnerTransfer, ProgrammePayment
from consortium.permissions import Right, has_right
from web import claim_selectors as selectors
from web.claim_forms import (
    ClaimActionForm,
    ClaimCreateForm,
    ClaimFinaliseForm,
    ClaimReturnForm,
    PaymentForm,
    TransferForm,
)
from web.views.common import project_context, render_page


def claims_context(request, project_id: int) -> dict:
    """The project (404 for strangers); 403 for a member who reads no claim (viewers)."""
    context = project_context(request, project_id)
    if not context["can_see_claims"]:
        raise PermissionDenied(_("Your role does not give access to claims and payments."))
    return {**context, "can_manage_claims": access.can_manage(request.user, context["project"].pk),
            "section": "claims"}


def claim_of(request, context: dict, claim_id: int) -> Claim:
    claim = access.claim_or_404(request.user, claim_id)
    if claim.project_id != context["project"].pk:
        raise Http404
    return claim


@login_required
@require_http_methods(["GET", "POST"])
def claims(request, project_id: int):
    """The project's claims with their money; the MU starts one for a period."""
    context = claims_context(request, project_id)
    project = context["project"]
    form = ClaimCreateForm(request.POST or None, project=project)
    if request.method == "POST":
        access.require_manage(request.user, project.pk)
        if form.is_valid():
            claim = form.call(request, services.claim_create, project=project, period=form.cleaned_data["period"],
                              user=request.user)
            if claim is not None:
                messages.success(request, _("Claim %(number)s created with the certified reports waiting for "
                                            "one.") % {"number": claim.number})
                return redirect("web:claim", project_id=project.pk, claim_id=claim.pk)
    views = selectors.claim_views(request.user, project, page=request.GET.get("page"))
    return render_page(request, "web/claims/list.html", {**context, "claims": views, "form": form},
                       status=form.status_code)


@login_required
def claim(request, project_id: int, claim_id: int):
    context = claims_context(request, project_id)
    claim = claim_of(request, context, claim_id)
    return render_claim(request, context, claim)


def render_claim(request, context: dict, claim: Claim, *, finalise_form=None, return_form=None, status=200):
    view = selectors.claim_view(claim, request.user)
    can_manage = context["can_manage_claims"]
    if can_manage and claim.status in (Claim.Status.SUBMITTED, Claim.Status.IN_VERIFICATION):
        finalise_form = finalise_form or ClaimFinaliseForm(parts=view.figures.partners,
                                                           initial={"version": claim.version})
        return_form = return_form or ClaimReturnForm(initial={"version": claim.version})
    page = Paginator(selectors.expenditure_list(claim, view.scope), selectors.EXPENDITURE_PAGE_SIZE).get_page(
        request.GET.get("page"))
    reads_all = has_right(request.user, Right.READ_ALL_REPORTS, claim.project_id)
    return render_page(request, "web/claims/claim.html", {
        **context, "claim": claim, "view": view, "parts": view.partners,
        "categories": selectors.categories_used(view.partners), "lines": page,
        "narrative": selectors.narrative(claim) if reads_all else None, "reads_all": reads_all,
        "finalise_form": finalise_form, "return_form": return_form,
    }, status=status)


def _button(request, project_id: int, claim_id: int, service, success, *, done: str = "web:claim"):
    """A claim's button: check the claim and the right, call `service` on it. Done: `success` (a message, or a
    function of the service's result) and on to `done`; refused: the claim page again with the refusal, with
    the service's status."""
    context = claims_context(request, project_id)
    claim = claim_of(request, context, claim_id)
    access.require_manage(request.user, claim.project_id)
    form = ClaimActionForm(request.POST)
    if form.is_valid():
        result = form.call_on(request, claim, service, user=request.user)
        if not form.refused:
            messages.success(request, success(result) if callable(success) else success)
            if done == "web:claims":
                return redirect(done, project_id=claim.project_id)
            return redirect(done, project_id=claim.project_id, claim_id=claim.pk)
    else:
        messages.error(request, _("The page was out of date: reload it and try again."))
    return render_claim(request, context, claim, status=form.status_code)


@login_required
@require_POST
def claim_gather(request, project_id: int, claim_id: int):
    """Add the reports certified since the draft was made."""
    return _button(request, project_id, claim_id, services.claim_gather, lambda added: _(
        "Reports certified since the claim was made: %(count)s added.") % {"count": added})


@login_required
@require_POST
def claim_submit(request, project_id: int, claim_id: int):
    return _button(request, project_id, claim_id, services.claim_submit,
                   _("Claim submitted to the programme; it is read-only now."))


@login_required
@require_POST
def claim_verify(request, project_id: int, claim_id: int):
    return _button(request, project_id, claim_id, services.claim_verify,
                   _("Recorded: the programme started its verification."))


@login_required
@require_POST
def claim_delete(request, project_id: int, claim_id: int):
    return _button(request, project_id, claim_id, services.claim_delete,
                   _("Draft claim deleted; its reports wait for the next claim."), done="web:claims")


@login_required
@require_POST
def claim_finalise(request, project_id: int, claim_id: int):
    """The programme's verdict: the accepted eligible expenditure per partner."""
    context = claims_context(request, project_id)
    claim = claim_of(request, context, claim_id)
    access.require_manage(request.user, claim.project_id)
    view = selectors.claim_view(claim, request.user)
    form = ClaimFinaliseForm(request.POST, parts=view.figures.partners)
    if form.is_valid():
        form.call_on(request, claim, services.claim_finalise, user=request.user, accepted=form.accepted())
        if not form.refused:
            messages.success(request, _("Claim finalised with the accepted amounts."))
            return redirect("web:claim", project_id=claim.project_id, claim_id=claim.pk)
    return render_claim(request, context, claim, finalise_form=form, status=form.status_code)


@login_required
@require_POST
def claim_return(request, project_id: int, claim_id: int):
    """The programme sent the claim back: a draft again, with its reason."""
    context = claims_context(request, project_id)
    claim = claim_of(request, context, claim_id)
    access.require_manage(request.user, claim.project_id)
    form = ClaimReturnForm(request.POST)
    if form.is_valid():
        form.call_on(request, claim, services.claim_return, user=request.user, comment=form.cleaned_data["comment"])
        if not form.refused:
            messages.success(request, _("Claim returned to draft with the programme's reason."))
            return redirect("web:claim", project_id=claim.project_id, claim_id=claim.pk)
    return render_claim(request, context, claim, return_form=form, status=form.status_code)


# --- payments -----------------------------------------------------------------------------------

def payments_context(request, project_id: int) -> dict:
    context = claims_context(request, project_id)
    if not context["can_see_payments"]:
        raise PermissionDenied(_("Your role does not give access to payments."))
    return context


def _payment_forms(project, data=None, *, payment=None, transfer=None) -> tuple:
    finalised = Claim.objects.filter(project=project, status=Claim.Status.FINALISED).select_related(
        "period").order_by("number")
    payment = payment or PaymentForm(data, claims=finalised, partners=selectors.partners_paid_by_programme(project),
                                     prefix="payment")
    transfer = transfer or TransferForm(data, claims=finalised, partners=selectors.partners_passed_on(project),
                                        prefix="transfer")
    return payment, transfer


@login_required
def payments(request, project_id: int, *, payment_form=None, transfer_form=None, status=200):
    """Per partner and fund claimed, accepted, received and outstanding; per claim and fund accepted against
    received; the MU records the programme's payments and the transfers to partners."""
    context = payments_context(request, project_id)
    project = context["project"]
    forms = _payment_forms(project, payment=payment_form, transfer=transfer_form) if context[
        "can_manage_claims"] else (None, None)
    return render_page(request, "web/claims/payments.html", {
        **context, "page": selectors.payments_page(request.user, project, payments_page=request.GET.get("payments"),
                                                   transfers_page=request.GET.get("transfers")),
        "payment_form": forms[0], "transfer_form": forms[1], "section": "payments",
    }, status=status)


@login_required
@require_POST
def payment_add(request, project_id: int):
    context = payments_context(request, project_id)
    project = context["project"]
    access.require_manage(request.user, project.pk)
    form, _transfer = _payment_forms(project, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        form.call(request, services.payment_record, claim=data["claim"], user=request.user, fund=data["fund"],
                  date=data["date"], amount=data["amount"], currency=data["currency"], reference=data["reference"],
                  partner=data["partner"])
        if not form.refused:
            messages.success(request, _("Payment recorded."))
            return redirect("web:payments", project_id=project.pk)
    return payments(request, project_id, payment_form=form, status=form.status_code)


@login_required
@require_POST
def transfer_add(request, project_id: int):
    context = payments_context(request, project_id)
    project = context["project"]
    access.require_manage(request.user, project.pk)
    _payment, form = _payment_forms(project, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        form.call(request, services.transfer_record, claim=data["claim"], user=request.user,
                  partner=data["partner"], date=data["date"], amount=data["amount"], reference=data["reference"])
        if not form.refused:
            messages.success(request, _("Transfer recorded; the partner's reporters were told."))
            return redirect("web:payments", project_id=project.pk)
    return payments(request, project_id, transfer_form=form, status=form.status_code)


@login_required
@require_POST
def payment_delete(request, project_id: int, payment_id: int):
    context = payments_context(request, project_id)
    project = context["project"]
    payment = get_object_or_404(ProgrammePayment, pk=payment_id, claim__project=project)
    access.require_manage(request.user, project.pk)
    form = ClaimActionForm(request.POST)
    form.call(request, services.payment_delete, payment=payment, user=request.user)
    if not form.refused:
        messages.success(request, _("Payment deleted."))
    return redirect("web:payments", project_id=project.pk)


@login_required
@require_POST
def transfer_delete(request, project_id: int, transfer_id: int):
    context = payments_context(request, project_id)
    project = context["project"]
    transfer = get_object_or_404(PartnerTransfer, pk=transfer_id, claim__project=project)
    access.require_manage(request.user, project.pk)
    form = ClaimActionForm(request.POST)
    form.call(request, services.transfer_delete, transfer=transfer, user=request.user)
    if not form.refused:
        messages.success(request, _("Transfer deleted."))
    return redirect("web:payments", project_id=project.pk)
