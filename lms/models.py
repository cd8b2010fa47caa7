"""Cross-cutting models: the programme's sites and their CEMs."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Site(models.Model):
    """A programme site (a city), not to be confused with Wagtail's Site."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), unique=True)
    region = models.CharField(_("region"), max_length=100)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("site")
        verbose_name_plural = _("sites")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CEM(models.Model):
    """A Centro Emergencia Mujer, belonging to one site."""

    site = models.ForeignKey(Site, on_delete=models.PROTECT, related_name="cems")
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        verbose_name = _("CEM")
        verbose_name_plural = _("CEMs")
        ordering = ["site__name", "name"]
        constraints = [models.UniqueConstraint(fields=["site", "name"], name="unique_cem_per_site")]

    def __str__(self) -> str:
        return self.name
