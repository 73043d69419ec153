"""Forms of the web pages: they validate and shape input; the services do the writing."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from partners.models import Partner
from web.errors import ServiceFormMixin
from workpackages.models import Deliverable, WorkPackage


class DeliverableFilterForm(forms.Form):
    """The tracker's GET filter controls. The filtering itself is the API's DeliverableFilter, so the
    names and meanings are the same (?work_package= ?status= ?lead_partner= ?overdue=true)."""

    work_package = forms.ModelChoiceField(queryset=WorkPackage.objects.none(), required=False,
                                          label=_("Work package"), empty_label=_("All"))
    status = forms.ChoiceField(required=False, label=_("Status"))
    lead_partner = forms.ModelChoiceField(queryset=Partner.objects.none(), required=False,
                                          label=_("Lead partner"), empty_label=_("All"))
    overdue = forms.ChoiceField(required=False, label=_("Overdue"),
                                choices=[("", _("All")), ("true", _("Overdue only")), ("false", _("Not overdue"))])

    def __init__(self, *args, project, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["work_package"].queryset = WorkPackage.objects.filter(project=project)
        self.fields["work_package"].label_from_instance = lambda wp: f"{wp.code} {wp.title}"
        self.fields["lead_partner"].queryset = Partner.objects.filter(project=project).select_related("organisation")
        self.fields["lead_partner"].label_from_instance = lambda p: f"{p.code} {p.organisation.short_name}"
        self.fields["status"].choices = [("", _("All")), *Deliverable.Status.choices]


class DeliverableStatusForm(ServiceFormMixin, forms.Form):
    """One row's inline status change: the new status and the version the page was rendered with."""

    status = forms.ChoiceField(label=_("New status"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any known status passes here; the service alone decides which moves the lifecycle allows.
        self.fields["status"].choices = Deliverable.Status.choices


def next_status_choices(deliverable: Deliverable) -> list[tuple[str, str]]:
    """The statuses the lifecycle allows next, in the lifecycle's order, for the row's select."""
    allowed = Deliverable.TRANSITIONS[deliverable.status]
    return [(value, label) for value, label in Deliverable.Status.choices if value in allowed]


class LanguageForm(ServiceFormMixin, forms.Form):
    """The language of the web, of one's e-mails and of downloaded documents."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    next = forms.CharField(required=False, widget=forms.HiddenInput)
