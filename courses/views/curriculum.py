"""The curriculum seen from outside Wagtail's page tree: search."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from courses.selectors.curriculum import curriculum_search


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    results = curriculum_search(query=query) if query else []
    page = Paginator(results, 20).get_page(request.GET.get("pagina"))
    return TemplateResponse(request, "courses/search.html", {"query": query, "results": page})
