"""`/healthz`: the process is up and serving, for load balancers and the load benchmark's floor.

It touches neither the database nor the session, so it answers even when PostgreSQL is busy, and
costs the least a request through the full middleware stack can cost.
"""

from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def healthz(request):
    return JsonResponse({"status": "ok"})
