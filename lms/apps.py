from celery.signals import task_postrun
from django.apps import AppConfig
from django.core.signals import request_finished
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


def _create_cache_table(sender, using: str = "default", **kwargs) -> None:
    """`migrate` also creates the database cache's table, so one command prepares a database.
    Before the migrations too: data migrations write, and every write starts a new data
    generation in the cache."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


class LmsConfig(AppConfig):
    name = "lms"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from lms import data_generation, page_cache, site_cache

        connection_created.connect(data_generation.watch_connection)
        request_finished.connect(data_generation.flush_pending)
        task_postrun.connect(data_generation.flush_pending)

        pre_migrate.connect(_create_cache_table, sender=self)
        post_migrate.connect(_create_cache_table, sender=self)
        post_migrate.connect(page_cache.invalidate_after_migrate, sender=self)
        page_cache.connect_invalidation()
        page_cache.on_invalidate(site_cache.forget_sites)

        from lms.accounts import events, sessions, throttle  # noqa: F401  (signal receivers)
