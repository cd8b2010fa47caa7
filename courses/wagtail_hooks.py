from wagtail import hooks

from courses.models import CurriculumIndexPage
from courses.services.curriculum import curriculum_workflow_ensure


@hooks.register("after_create_page")
def attach_review_workflow(request, page):
    """Every curriculum tree is reviewed before publishing, whoever creates it."""
    if isinstance(page.specific, CurriculumIndexPage):
        curriculum_workflow_ensure(index_page=page)
