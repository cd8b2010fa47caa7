from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem

from courses.cascade.viewsets import DistrictViewSet
from courses.models import CurriculumIndexPage
from courses.models.curriculum import COURSE_PAGE_CONTEXT_HOOK
from courses.services.curriculum import curriculum_workflow_ensure
from courses.validation.evidence import course_validation_context
from courses.validation.page_forms import CITED_ATTRIBUTE
from courses.validation.services.findings import page_revision_cites
from courses.viewsets import delivery_viewsets
from lms import access


@hooks.register("after_create_page")
def attach_review_workflow(request, page):
    """Every curriculum tree is reviewed before publishing, whoever creates it."""
    if isinstance(page.specific, CurriculumIndexPage):
        curriculum_workflow_ensure(index_page=page)


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def cite_validation_findings(request, page):
    """The revision just saved from a course or session form cites the findings ticked in it."""
    findings = getattr(page, CITED_ATTRIBUTE, None)
    if not findings or page.latest_revision is None:
        return
    try:
        cited = page_revision_cites(
            actor=request.user, revision=page.latest_revision, findings=findings
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("This revision answers: %(titles)s.")
            % {"titles": "; ".join(c.finding.title for c in cited)},
        )


@hooks.register(COURSE_PAGE_CONTEXT_HOOK)
def course_page_validation(request, page):
    """Staff and accreditors read the validation of the course on its page."""
    return course_validation_context(request.user, page)


@hooks.register("register_admin_viewset")
def register_delivery_admin():
    """Cohorts, enrollments and session deliveries, in the coordinators' "Delivery" menu."""
    return [*delivery_viewsets(), DistrictViewSet()]


class ValidationMenuItem(MenuItem):
    def is_shown(self, request):
        return access.has_any_role(request.user, access.COORDINATES)


@hooks.register("register_admin_menu_item")
def register_validation_menu_item():
    """Validation rounds are run from their own screens; the admin links to them."""
    return ValidationMenuItem(
        _("Validation rounds"), reverse("validation:index"), icon_name="tasks", order=250
    )
