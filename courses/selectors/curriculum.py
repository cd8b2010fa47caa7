"""Read-side queries of the curriculum."""

from wagtail.models import Page
from wagtail.search.query import PlainText

from courses.models import CoursePage, SessionPage


def curriculum_search(*, query: str):
    """Live course and session pages matching the query, best first."""
    return (
        Page.objects.live()
        .type(CoursePage, SessionPage)
        .specific()
        .search(PlainText(query), operator="and")
    )
