"""The Content Security Policy of every answer (django-csp), and where browsers report breaches.

* Site pages: ``CONTENT_SECURITY_POLICY``, enforced: scripts, styles, images, fonts and
  connections only from this origin, no inline script or style at all, no plugins, no framing.
  The site's own pages carry no inline code (the offline scripts are modules from /static/).
* The Wagtail admin (``/admin/``): Wagtail renders inline scripts and style attributes in its
  widgets and supports no nonces, so ``ADMIN_CONTENT_SECURITY_POLICY`` enforces everything
  else as strictly as the site's (origins, plugins, forms, framing by this origin only, for its
  previews) and allows inline code; the site's strict policy is sent beside it as report-only,
  so every inline script or style the admin still uses is reported.

Reports go to ``/csp-report/`` (:func:`csp_report`), which logs them, a few per client and
minute.
"""

from __future__ import annotations

import json
import logging

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from lms.client_address import client_address
from lms.rate_limits import rate_limited

logger = logging.getLogger(__name__)
ADMIN_PREFIX = "/admin/"
MAX_REPORT_BYTES = 8 * 1024


def is_admin(request: HttpRequest) -> bool:
    return request.path_info.startswith(ADMIN_PREFIX)


class ContentPolicyMiddleware(CSPMiddleware):
    """The site's policy, or the admin's with the site's as report-only (module docstring)."""

    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not is_admin(request) or parts.config is not None:
            return parts  # a view's own decorator wins
        if report_only:
            parts.config = dict(settings.CONTENT_SECURITY_POLICY["DIRECTIVES"])
        else:
            parts.config = dict(settings.ADMIN_CONTENT_SECURITY_POLICY["DIRECTIVES"])
        return parts


@csrf_exempt
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log a browser's report of a breach of the policy; at most a few per client a minute."""
    if rate_limited("csp-report", client_address(request), limit=20, window_seconds=60):
        return HttpResponse(status=204)
    body = request.body[:MAX_REPORT_BYTES]
    try:
        report = json.loads(body).get("csp-report", {})
    except (ValueError, AttributeError):
        return HttpResponse(status=400)
    if not isinstance(report, dict):
        return HttpResponse(status=400)
    logger.info(
        "content policy breach: %s blocked %s on %s",
        str(report.get("violated-directive", report.get("effective-directive", "?")))[:100],
        str(report.get("blocked-uri", "?"))[:200],
        str(report.get("document-uri", "?"))[:200],
    )
    return HttpResponse(status=204)
