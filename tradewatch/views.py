"""Views of the site as a service, not of its content."""

from django.http import HttpResponse
from django.views.decorators.http import require_safe


@require_safe
def health(request):
    """For a load balancer's health check: the process answers. No database, no cache, no
    session: also the bare view the benchmarks measure the pages against."""
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
