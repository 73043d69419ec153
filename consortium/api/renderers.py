"""The browsable API without HTML forms.

DRF's browsable API draws an HTML form for POST and PUT with a drop-down for every related field
(and a filter form with one for every model-choice filter). Those drop-downs list the rows of each
field's queryset: a second read path beside the permission layer, which showed a reporter other
projects' periods, partners and reports, and which broke on a field whose representation is an
object (`/api/partners/` answered 500). The raw-data form stays: it shows the JSON of what the
user has just read (or an empty body), and posting it goes through the same checks as any client.
So the browsable API stays usable for every role and reveals exactly what the JSON does.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.renderers import BrowsableAPIRenderer


class FormlessBrowsableAPIRenderer(BrowsableAPIRenderer):
    def show_form_for_method(self, view, method, request, obj):
        # The permission layer raises Django's exceptions, which DRF's version does not expect here:
        # a viewer's page of an object they may not change would answer 500 instead of no form.
        try:
            return super().show_form_for_method(view, method, request, obj)
        except (PermissionDenied, Http404):
            return False

    def get_rendered_html_form(self, data, view, method, request):
        return None

    def get_filter_form(self, data, view, request):
        return None
