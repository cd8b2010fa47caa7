from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Curriculum and delivery")

    def ready(self) -> None:
        from courses.cascade.selectors import runs_replicas
        from lms import access

        # Activists who run the curriculum's sessions with community groups see its guides.
        if runs_replicas not in access.ALSO_RUN_SESSIONS:
            access.ALSO_RUN_SESSIONS.append(runs_replicas)
