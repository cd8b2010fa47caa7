"""The whole dashboard: the sections of every role a user holds."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from courses.models import AttendanceSettings
from home.dashboards.accreditor import AccreditorSection, accreditor_section
from home.dashboards.activist import ActivistSection, activist_section
from home.dashboards.coordinator import CoordinatorSection, coordinator_section
from home.dashboards.trainer import TrainerSection, trainer_section
from lms import access
from lms.roles import Role, user_roles


@dataclass(frozen=True)
class Dashboard:
    activist: ActivistSection | None = None
    trainer: TrainerSection | None = None
    coordinator: CoordinatorSection | None = None
    accreditor: AccreditorSection | None = None

    @property
    def sections(self) -> int:
        return sum(
            s is not None for s in (self.activist, self.trainer, self.coordinator, self.accreditor)
        )


def dashboard_for(
    user: AbstractBaseUser, *, now: dt.datetime | None = None, request=None
) -> Dashboard:
    """The sections of every role the user holds; a superuser reads the coordinator's view of
    every site."""
    now = now or timezone.now()
    roles = user_roles(user)
    is_coordinator = access.has_any_role(user, access.COORDINATES)
    needs_rules = is_coordinator or roles & {Role.ACTIVIST, Role.TRAINER}
    rules = AttendanceSettings.load(request) if needs_rules else None
    return Dashboard(
        activist=(activist_section(user, rules=rules, now=now) if Role.ACTIVIST in roles else None),
        trainer=trainer_section(user, rules=rules, now=now) if Role.TRAINER in roles else None,
        coordinator=coordinator_section(user, rules=rules, now=now) if is_coordinator else None,
        accreditor=accreditor_section(user) if Role.ACCREDITOR in roles else None,
    )
