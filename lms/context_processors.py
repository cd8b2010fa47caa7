from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lms.access import sees_facilitator_notes
from lms.roles import Role, user_roles


def roles(request: HttpRequest) -> dict:
    user = request.user
    names = user_roles(user)
    return {
        "user_roles": names,
        "is_trainer": Role.TRAINER in names,
        "is_coordinator": Role.COORDINATOR in names,
        "is_activist": Role.ACTIVIST in names,
        "is_accreditor": Role.ACCREDITOR in names,
        # Lazy: for an activist they cost a query, asked only by pages that show notes.
        "can_see_facilitator_notes": SimpleLazyObject(lambda: sees_facilitator_notes(user)),
    }
