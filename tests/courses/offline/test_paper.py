"""Codes printed on paper sheets, the short-hand for typing them in, and the paper path."""

import datetime as dt

import pytest
from django.utils import timezone

from courses.offline.paper import quick_entry_parse, sheet_code, sheet_code_decode
from courses.services.delivery import enrollment_set_status
from lms.codes import READABLE_ALPHABET
from lms.models import AuditLogEntry
from tests.factories import CohortFactory, EnrollmentFactory, SessionDeliveryFactory
from tests.helpers import en


@pytest.mark.parametrize("delivery_id", [1, 26, 27, 500, 19_683, 1_000_000])
def test_a_sheet_code_reads_back_as_its_session(delivery_id):
    code = sheet_code(delivery_id)
    assert len(code) >= 4 and set(code) <= set(READABLE_ALPHABET)
    assert sheet_code_decode(code) == delivery_id
    assert sheet_code_decode(f" {code[:2].lower()}-{code[2:]} ") == delivery_id


def test_any_one_wrong_symbol_or_swapped_pair_is_caught():
    for delivery_id in range(1, 800):
        code = sheet_code(delivery_id)
        for position in range(len(code)):
            for symbol in READABLE_ALPHABET.replace(code[position], ""):
                typo = code[:position] + symbol + code[position + 1 :]
                assert sheet_code_decode(typo) is None, (code, typo)
        for position in range(len(code) - 1):
            swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
            if swapped != code:
                assert sheet_code_decode(swapped) is None, (code, swapped)


@pytest.mark.parametrize("typed", ["", "AB", "0O1I", "AAB!"])
def test_nonsense_is_no_code(typed):
    assert sheet_code_decode(typed) is None


def test_quick_entry_reads_numbers_and_letters_and_lists_the_rest():
    entry = quick_entry_parse("3A 7 l, 12e;x9 foo 4")
    assert entry.marks == {3: "A", 7: "L", 12: "E"}
    assert entry.unknown == ["x9", "foo", "4"]


# The paper path through the screens ------------------------------------------------------


@pytest.fixture
def delivery(cohort_setup):
    return SessionDeliveryFactory(
        cohort=cohort_setup["cohort"],
        session=cohort_setup["sessions"][0],
        scheduled_at=timezone.now() - dt.timedelta(days=2),
    )


def test_the_code_on_a_sheet_opens_it_ready_to_type_in(client, cohort_setup, delivery):
    client.force_login(cohort_setup["trainer"])
    response = client.get(en("courses:paper_sheet"), {"codigo": sheet_code(delivery.pk).lower()})
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, delivery.pk)
    assert response["Location"] == url + "?papel=1"
    body = client.get(response["Location"]).content.decode()
    assert 'name="from_paper" value="on" id="from-paper" checked' in body
    assert sheet_code(delivery.pk) in body


def test_a_code_of_someone_elses_group_opens_nothing(client, cohort_setup, course, delivery):
    other = CohortFactory(course=course, cem=cohort_setup["cem"])
    foreign = SessionDeliveryFactory(cohort=other, session=cohort_setup["sessions"][0])
    client.force_login(cohort_setup["trainer"])
    for code in (sheet_code(foreign.pk), "ZZZZ", sheet_code(delivery.pk)[:-1] + "X"):
        response = client.get(en("courses:paper_sheet"), {"codigo": code}, follow=True)
        assert response.redirect_chain[-1][0].endswith(en("courses:my_cohorts") + "#paper")
        assert "No session of your groups has the code" in response.content.decode()


def test_paper_marks_typed_as_exceptions_are_saved_and_audited_as_from_paper(
    client, cohort_setup, delivery
):
    enrollments = cohort_setup["enrollments"]
    client.force_login(cohort_setup["trainer"])
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, delivery.pk)
    data = {f"status-{e.pk}": "P" for e in enrollments}
    data |= {"from_paper": "on", "quick": f"{enrollments[1].roster_number}a"}
    assert client.post(url, data).status_code == 302
    assert dict(delivery.attendance.values_list("enrollment_id", "status")) == {
        enrollments[0].pk: "P",
        enrollments[1].pk: "A",
        enrollments[2].pk: "P",
    }
    entries = AuditLogEntry.objects.filter(content_type__model="attendancerecord")
    assert set(entries.values_list("origin", flat=True)) == {"paper"}


def test_exceptions_that_make_no_sense_save_nothing(client, cohort_setup, delivery):
    client.force_login(cohort_setup["trainer"])
    url = en("courses:attendance_sheet", cohort_setup["cohort"].pk, delivery.pk)
    data = {f"status-{e.pk}": "P" for e in cohort_setup["enrollments"]} | {"quick": "99A 2"}
    body = client.post(url, data).content.decode()
    assert "Nobody on this sheet has the number 99." in body
    assert "“2” is not a roster number followed by a letter." in body
    assert not delivery.attendance.exists()


def test_the_printed_sheet_tells_how_to_type_it_in(client, cohort_setup, delivery):
    client.force_login(cohort_setup["trainer"])
    body = client.get(
        en("courses:sign_in_sheet", cohort_setup["cohort"].pk, delivery.pk)
    ).content.decode()
    assert f"code <strong>{sheet_code(delivery.pk)}</strong>" in body
    assert "?papel=1" in body
    assert "onclick" not in body and "<script>" not in body


def test_roster_numbers_follow_the_order_of_enrollment_and_stay(cohort_setup, course):
    enrollments = cohort_setup["enrollments"]
    assert [e.roster_number for e in enrollments] == [1, 2, 3]
    enrollment_set_status(actor=None, enrollment=enrollments[0], status="withdrawn")
    enrollments[0].refresh_from_db()
    assert enrollments[0].roster_number == 1
    assert EnrollmentFactory(cohort=cohort_setup["cohort"]).roster_number == 4
    other = CohortFactory(course=course, cem=cohort_setup["cem"])
    assert EnrollmentFactory(cohort=other).roster_code == "01"
