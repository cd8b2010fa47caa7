from wagtail import hooks

from courses.models import CurriculumIndexPage
from courses.services.curriculum import curriculum_workflow_ensure
from courses.viewsets import delivery_viewsets


@hooks.register("after_create_page")
def attach_review_workflow(request, page):
    """Every curriculum tree is reviewed before publishing, whoever creates it."""
    if isinstance(page.specific, CurriculumIndexPage):
        curriculum_workflow_ensure(index_page=page)


@hooks.register("register_admin_viewset")
def register_delivery_admin():
    """Cohorts, enrollments and session deliveries, in the coordinators' "Delivery" menu."""
    return delivery_viewsets()
