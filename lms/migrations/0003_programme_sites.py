from django.db import migrations

SITES = [
    {
        "slug": "villa-maria-del-triunfo",
        "name": "Villa María del Triunfo",
        "region": "Lima",
        "description": "Distrito popular y densamente poblado del sur de Lima.",
    },
    {
        "slug": "arequipa",
        "name": "Arequipa",
        "region": "Arequipa",
        "description": "Segunda ciudad del país, en la región andina del sur.",
    },
    {
        "slug": "iquitos",
        "name": "Iquitos",
        "region": "Loreto",
        "description": "Ciudad amazónica a la que se llega por río o por aire.",
    },
]


def create_sites(apps, schema_editor):
    Site = apps.get_model("lms", "Site")
    for site in SITES:
        Site.objects.update_or_create(slug=site["slug"], defaults=site)


def remove_sites(apps, schema_editor):
    apps.get_model("lms", "Site").objects.filter(slug__in=[s["slug"] for s in SITES]).delete()


class Migration(migrations.Migration):
    dependencies = [("lms", "0002_site_cem")]

    operations = [migrations.RunPython(create_sites, remove_sites)]
