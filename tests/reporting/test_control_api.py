"""First-level control through the API: the line control resource, the report's control actions, their status
codes in DESIGN.md's order, and who may do what (the hand-computed figures are in test_control_hand_case.py)."""

from decimal import Decimal

from reporting import services
from reporting.models import LineControl, ProgressReport
from tests.reporting.helpers import line

Status = ProgressReport.Status


def control_url(expense) -> str:
    return f"/api/expenditures/{expense.pk}/control/"


def patch_control(client, expense, body, version=None):
    version = version if version is not None else LineControl.objects.get(expenditure=expense).version
    return client.patch(control_url(expense), body, format="json", HTTP_IF_MATCH=f'"{version}"')


def test_the_controller_reads_and_verifies_a_line_with_its_etag(in_control, expense, controller_a, api_client):
    client = api_client(controller_a)
    read = client.get(control_url(expense))
    assert read.status_code == 200, read.json()
    body = read.json()
    assert (body["declared"], body["verified_amount"], body["currency"], body["done"]) == ("745.00", None, "DKK",
                                                                                          False)
    assert read["ETag"] == f'"{body["version"]}"'
    changed = patch_control(client, expense, {"verified_amount": "700.00", "deduction_type": "evidence",
                                              "comment": "One ticket without a receipt.", "sampled": True},
                            version=body["version"])
    assert changed.status_code == 200, changed.json()
    assert (changed.json()["verified_amount"], changed.json()["deducted"]) == ("700.00", "45.00")
    assert changed["ETag"] == f'"{body["version"] + 1}"'
    # The same row through the line-controls resource.
    again = client.get(f"/api/line-controls/{body['id']}/")
    assert again.json()["comment"] == "One ticket without a receipt."


def test_control_writes_answer_in_the_documented_order(in_control, expense, controller_a, api_client):
    client = api_client(controller_a)
    control = LineControl.objects.get(expenditure=expense)
    # 428 without a version, 412 with a stale one even when the body is invalid, 400 for invalid input.
    assert client.patch(control_url(expense), {"verified_amount": "1.00"}, format="json").status_code == 428
    stale = patch_control(client, expense, {"verified_amount": "99999.00"}, version=control.version + 5)
    assert stale.status_code == 412
    invalid = patch_control(client, expense, {"verified_amount": "800.00"})
    assert invalid.status_code == 400 and "verified_amount" in invalid.json()["fields"]
    no_type = patch_control(client, expense, {"verified_amount": "100.00"})
    assert no_type.status_code == 400 and "deduction_type" in no_type.json()["fields"]
    assert LineControl.objects.get(pk=control.pk).verified_amount is None  # nothing half-written


def test_who_may_control(in_control, expense, personas, controller_b, api_client):
    codes = {"mu": 403, "coordinator": 403, "reporter_a": 403, "reporter_b": 404, "viewer": 403, "outsider": 404}
    for persona, code in {**codes, "controller_b": 404}.items():
        user = controller_b if persona == "controller_b" else personas[persona]
        response = patch_control(api_client(user), expense, {"verified_amount": "745.00"})
        assert response.status_code == code, persona
        report = api_client(user).post(f"/api/progress-reports/{in_control.pk}/certify/")
        assert report.status_code == code, persona
    assert LineControl.objects.get(expenditure=expense).verified_amount is None


def test_a_reporter_reads_the_control_results_but_cannot_change_them(in_control, expense, reporter_a, api_client):
    client = api_client(reporter_a)
    assert client.get(control_url(expense)).status_code == 200
    assert patch_control(client, expense, {"verified_amount": "745.00"}).status_code == 403


def test_a_controller_never_changes_a_partners_content(world, rates, controller_b, reporter_b, expense, mu,
                                                       in_control, api_client):
    # controller_b controls partner B: A's report does not exist for it; B's own lines it may not edit.
    client = api_client(controller_b)
    assert client.get(f"/api/progress-reports/{in_control.pk}/").status_code == 404
    assert client.get(f"/api/progress-reports/{in_control.pk}/certificate.pdf").status_code == 404
    assert client.patch(f"/api/expenditures/{expense.pk}/", {"amount": "1.00"}, format="json",
                        HTTP_IF_MATCH=f'"{expense.version}"').status_code == 404
    report_b = services.report_create(partner=world.partner_b, period=world.period1, user=reporter_b)
    line_b = line(report_b, reporter_b, amount=Decimal("80.00"))
    assert client.get(f"/api/progress-reports/{report_b.pk}/").status_code == 200
    response = client.patch(f"/api/expenditures/{line_b.pk}/", {"amount": "1.00"}, format="json",
                            HTTP_IF_MATCH=f'"{line_b.version}"')
    assert response.status_code == 403
    assert client.post(f"/api/progress-reports/{report_b.pk}/submit/").status_code == 403
    assert client.post(f"/api/progress-reports/{report_b.pk}/approve/").status_code == 403


def test_start_verify_certify_then_nothing_changes_it(submitted, expense, mu, controller_a, reporter_a, api_client):
    client = api_client(controller_a)
    url = f"/api/progress-reports/{submitted.pk}"
    early = client.post(f"{url}/control/start/")
    assert early.status_code == 409 and "approves" in early.json()["detail"]
    services.report_approve(report=submitted, user=mu, notify=False)
    started = client.post(f"{url}/control/start/")
    assert started.status_code == 200 and started.json()["status"] == "in_control"
    refused = client.post(f"{url}/certify/")
    assert refused.status_code == 409
    assert list(refused.json()["fields"]) == ["expenditures[0].verified_amount"]
    assert f"Line {expense.pk} " in refused.json()["fields"]["expenditures[0].verified_amount"][0]
    ids = [row["id"] for row in client.get("/api/line-controls/", {"report": submitted.pk}).json()["results"]]
    bad = client.post(f"{url}/control/verify/", {"ids": [*ids, 999999]}, format="json")
    assert bad.status_code == 400 and LineControl.objects.get(pk=ids[0]).verified_amount is None
    verified = client.post(f"{url}/control/verify/", {"ids": ids}, format="json")
    assert verified.status_code == 200 and verified.json()[0]["verified_amount"] == "745.00"
    certified = client.post(f"{url}/certify/")
    assert certified.status_code == 200 and certified.json()["status"] == "certified"

    # Nothing changes a certified report: 409 for everyone allowed to try.
    version = LineControl.objects.get(pk=ids[0]).version
    assert patch_control(client, expense, {"verified_amount": "1.00", "deduction_type": "other"},
                         version=version).status_code == 409
    for action in ("certify/", "control/start/", "control/verify/"):
        assert client.post(f"{url}/{action}", {"ids": ids}, format="json").status_code == 409
    assert client.post(f"{url}/control-return/", {"comment": "x"}, format="json").status_code == 409
    writer = api_client(reporter_a)
    assert writer.patch(f"{url}/", {"summary": "later"}, format="json",
                        HTTP_IF_MATCH=f'"{certified.json()["version"]}"').status_code == 409
    assert writer.delete(f"/api/expenditures/{expense.pk}/").status_code == 409
    assert api_client(mu).post(f"{url}/return/", {"comment": "x"}, format="json").status_code == 409


def test_control_return_needs_findings_and_goes_back_to_the_partner(in_control, controller_a, api_client):
    client = api_client(controller_a)
    url = f"/api/progress-reports/{in_control.pk}/control-return/"
    missing = client.post(url, {"comment": " "}, format="json")
    assert missing.status_code == 400 and "comment" in missing.json()["fields"]
    returned = client.post(url, {"comment": "Add the boarding pass."}, format="json")
    assert returned.status_code == 200 and returned.json()["status"] == "returned"
    assert returned.json()["control_comment"] == "Add the boarding pass."  # the partner reads the findings


def test_the_summary_gains_the_control_figures_once_control_starts(submitted, in_control, expense, controller_a,
                                                                   api_client):
    client = api_client(controller_a)
    summary = client.get(f"/api/progress-reports/{in_control.pk}/summary/").json()
    assert (summary["verified_total"], summary["unverified_total"], summary["control_complete"]) == (
        "0.00", "99.87", False)
    patch_control(client, expense, {"parked": True, "comment": "The hotel invoice is missing."})
    summary = client.get(f"/api/progress-reports/{in_control.pk}/summary/").json()
    assert (summary["parked_total"], summary["control_complete"]) == ("99.87", True)
    travel = next(c for c in summary["categories"] if c["cost_category"] == "travel")
    assert (travel["parked"], travel["verified"]) == ("99.87", "0.00")


def test_the_summary_before_control_has_no_control_figures(draft, reporter_a, api_client):
    summary = api_client(reporter_a).get(f"/api/progress-reports/{draft.pk}/summary/").json()
    assert summary["verified_total"] is None and summary["verified_cofinancing"] is None
    assert summary["categories"][0]["verified"] is None


def test_a_controller_is_invited_and_its_partners_changed(world, mu, api_client):
    client = api_client(mu)
    invited = client.post("/api/users/", {"email": "flc@example.org", "first_name": "F", "last_name": "C",
                                          "project": world.project.pk, "role": "controller",
                                          "controlled_partners": [world.partner_a.pk]}, format="json")
    assert invited.status_code == 201, invited.json()
    membership = client.get("/api/memberships/", {"role": "controller"}).json()["results"][0]
    assert membership["controlled_partners"] == [world.partner_a.pk]
    changed = client.patch(f"/api/memberships/{membership['id']}/",
                           {"controlled_partners": [world.partner_a.pk, world.partner_b.pk]}, format="json",
                           HTTP_IF_MATCH=f'"{membership["version"]}"')
    assert changed.status_code == 200, changed.json()
    assert sorted(changed.json()["controlled_partners"]) == sorted([world.partner_a.pk, world.partner_b.pk])
    none = client.post("/api/users/", {"email": "flc2@example.org", "first_name": "F", "last_name": "C",
                                       "project": world.project.pk, "role": "controller"}, format="json")
    assert none.status_code == 400 and "controlled_partners" in none.json()["fields"]
    foreign = client.patch(f"/api/memberships/{membership['id']}/", {"controlled_partners": [world.other_partner.pk]},
                           format="json", HTTP_IF_MATCH=f'"{changed.json()["version"]}"')
    assert foreign.status_code == 400
