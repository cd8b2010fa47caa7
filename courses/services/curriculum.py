"""Write-side actions on the curriculum."""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowTask

from lms.roles import Role

CURRICULUM_WORKFLOW_NAME = "Revisión académica del currículo"
CURRICULUM_TASK_NAME = "Aprobación de coordinación"


@transaction.atomic
def curriculum_workflow_ensure(*, index_page: Page) -> Workflow:
    """Attach the review workflow to the curriculum, so course and session changes are
    approved by a coordinator before they are published. Idempotent."""
    workflow, _ = Workflow.objects.get_or_create(name=CURRICULUM_WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=CURRICULUM_TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=CURRICULUM_TASK_NAME)
    reviewers = [Group.objects.get(name=Role.COORDINATOR)]
    moderators = Group.objects.filter(name="Moderators").first()
    if moderators:
        reviewers.append(moderators)
    task.groups.set(reviewers)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index_page, defaults={"workflow": workflow})
    return workflow


@transaction.atomic
def curriculum_permissions_ensure(*, index_page: Page) -> None:
    """Coordinators edit the curriculum in the admin; publishing goes through the workflow."""
    from django.contrib.auth.models import Permission
    from wagtail.models import GroupPagePermission

    coordinators = Group.objects.get(name=Role.COORDINATOR)
    coordinators.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    for codename in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.get_or_create(
            group=coordinators,
            page=index_page,
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename=codename
            ),
        )
