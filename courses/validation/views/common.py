"""What the validation screens share: the roles that reach them, refusals shown as messages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from lms.roles import Role

#: Staff screens of a round: its coordinators, the trainers of its sites, accreditors (reading).
STAFF = frozenset({Role.COORDINATOR, Role.TRAINER, Role.ACCREDITOR})
#: Who records workshops and types in paper forms.
TEAM = frozenset({Role.COORDINATOR, Role.TRAINER})


def refusal(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)
