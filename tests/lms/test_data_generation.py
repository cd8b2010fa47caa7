"""Every committed write starts a new data generation; reads and rolled-back writes do not."""

import pytest
from django.core.cache import cache
from django.db import transaction

from courses.services.attendance import attendance_sheet_save
from lms.data_generation import GENERATION_KEY, current_generation
from tests.factories import SessionDeliveryFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_saved_sheet_starts_a_new_generation(cohort_setup):
    delivery = SessionDeliveryFactory(
        cohort=cohort_setup["cohort"], session=cohort_setup["sessions"][0]
    )
    before = current_generation()
    attendance_sheet_save(  # bulk inserts and updates: no model signal is sent
        actor=cohort_setup["trainer"],
        delivery=delivery,
        marks={e.pk: "P" for e in cohort_setup["enrollments"]},
    )
    assert cache.get(GENERATION_KEY) != before


def test_reading_pages_and_the_cache_itself_change_nothing(client, cohort_setup):
    client.force_login(cohort_setup["trainer"])  # a write: the session
    url = f"/grupos/{cohort_setup['cohort'].pk}/"
    assert client.get(url).status_code == 200
    before = current_generation()
    assert client.get(url).status_code == 200
    cache.set("something", "else")
    assert cache.get(GENERATION_KEY) == before


def test_a_rolled_back_write_starts_none_and_the_next_commit_does(cohort_setup):
    cohort = cohort_setup["cohort"]
    before = current_generation()
    with pytest.raises(RuntimeError), transaction.atomic():
        cohort.name = "Nunca guardado"
        cohort.save()
        raise RuntimeError("rolled back")
    assert cache.get(GENERATION_KEY) == before
    with transaction.atomic():
        cohort.name = "Guardado"
        cohort.save()
    assert cache.get(GENERATION_KEY) != before
