"""Fill an empty database with the demo programme. Safe to run again: nothing is created twice."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page
from wagtail.models import Site as WagtailSite

from assessments.demo import seed_questionnaires
from certificates.demo import seed_certificates
from courses.cascade.demo import seed_cascade
from courses.demo import seed_curriculum
from courses.demo_delivery import seed_delivery
from courses.validation.demo import seed_validation
from home.models import HomePage
from lms.demo import DEMO_PASSWORD
from lms.models import DataProtectionSettings

HOME_INTRO = (
    "<p>Plataforma de formación de activistas comunitarias y comunitarios de los Centros "
    "Emergencia Mujer (CEM) en masculinidades positivas y prevención de la violencia sexual y "
    "de pareja.</p>"
)
HOME_ABOUT = (
    "<p>El programa forma a activistas de los CEM como facilitadoras y facilitadores de un "
    "currículo acreditado por una universidad. Las sesiones son presenciales y participativas: "
    "dinámicas, sociodramas y reflexión en grupo. Cada grupo registra su asistencia, responde "
    "un cuestionario al inicio y al final, y recibe un certificado verificable al completar el "
    "curso.</p>"
)


class Command(BaseCommand):
    help = "Create the demo users, home page and curriculum (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        admin = self._admin()
        home = self._home()
        course = seed_curriculum(home=home, user=admin)
        seed_delivery(course=course, admin=admin)
        seed_questionnaires(course=course)
        seed_certificates(admin=admin)
        seed_validation(course=course)
        seed_cascade(course=course, admin=admin)
        self._data_protection()
        self.stdout.write(self.style.SUCCESS(f"Demo ready: {course.title}"))

    def _admin(self) -> User:
        admin, created = User.objects.get_or_create(
            username="admin",
            defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.org"},
        )
        if created:
            admin.set_password(DEMO_PASSWORD)
            admin.save()
        return admin

    def _home(self) -> HomePage:
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            # Wagtail's initial migration leaves a placeholder "Welcome" page: replace it.
            placeholders = list(root.get_children().exact_type(Page))
            home = HomePage(
                title="Formación CEM: masculinidades positivas y prevención de la violencia",
                slug="inicio",
                intro=HOME_INTRO,
                about=HOME_ABOUT,
            )
            root.add_child(instance=home)
            home.save_revision().publish()
            WagtailSite.objects.update_or_create(
                is_default_site=True,
                defaults={"hostname": "localhost", "port": 80, "root_page": home},
            )
            for placeholder in placeholders:
                placeholder.delete()
        return home

    def _data_protection(self) -> None:
        """Example values, marked as such: the organisation replaces them in the admin."""
        protection = DataProtectionSettings.load()
        if protection.controller_name:
            return
        protection.controller_name = "Organización responsable del programa (dato de ejemplo)"
        protection.controller_address = "Dirección de la organización (dato de ejemplo)"
        protection.data_bank = "Banco de datos de participantes (código de ejemplo)"
        protection.retention = "Cinco años después del fin del estudio (dato de ejemplo)"
        protection.rights_contact = "La coordinación de tu CEM"
        protection.save()
