from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    intro = RichTextField(_("introduction"), blank=True)
    about = RichTextField(_("about the programme"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("about")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CurriculumIndexPage"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from courses.models import CurriculumIndexPage
        from lms.models import Site

        context = super().get_context(request, *args, **kwargs)
        context["curriculum"] = CurriculumIndexPage.objects.child_of(self).live().first()
        context["sites"] = Site.objects.all()
        return context
