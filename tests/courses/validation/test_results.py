"""The results page: figures by site, sex and generation with small cells suppressed, words only
for coordinators and only for groups of five, the heat map, and a fixed number of queries."""

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.validation.services.participants import participants_add
from courses.validation.services.workshops import ItemAssessment, WorkshopRecord, workshop_record
from tests.helpers import activist_at, en, give_feedback, ratings


def everyone_answers(crowd, *, comment_at=("A", "C")):
    for key, participants in crowd["participants"].items():
        for index, participant in enumerate(participants):
            value = {"A": 5, "B": 3, "C": 1}[key]
            answer = ratings(value)
            if key in comment_at:
                answer["comment"] = f"Comentario {key}{index}"
            give_feedback(participant, {"s01": answer, "s02": ratings(4)}, missing=f"Falta {key}")


@pytest.fixture
def answered(crowd):
    everyone_answers(crowd)
    return crowd


def page(client, user, round_, by="sede"):
    client.force_login(user)
    response = client.get(en("validation:results", round_.pk) + f"?por={by}")
    assert response.status_code == 200
    return response


def table_row(content: str, label: str, item: str = "s01") -> str:
    """The row of `label` in the ratings table of `item`."""
    section = content.index(f'id="item-{item}"')
    start = content.index(f'<th scope="row">{label}</th>', section)
    return content[start : content.index("</tr>", start)]


def test_results_by_site_hide_the_site_of_three_and_the_smallest_other(
    client, answered, open_round, staff
):
    content = page(client, staff["national"], open_round).content.decode()
    # A has 11 people (mean 5), B 7 (mean 3), C 3 (mean 1): C is hidden, and so is B, whose
    # figures with the total would give C's.
    iquitos = table_row(content, "Iquitos")
    arequipa = table_row(content, "Arequipa")
    assert "1.0" not in iquitos and "—" in iquitos
    assert "3.0" not in arequipa and "—" in arequipa
    assert "5.0" in table_row(content, "Villa María del Triunfo")
    overall = table_row(content, "All")
    assert ">21<" in overall  # everybody counts in the total
    assert 'class="chart"' in content and "<title" in content  # the heat map, inline SVG


def test_results_by_sex_and_generation(client, answered, open_round, staff):
    by_sex = page(client, staff["national"], open_round, "sexo").content.decode()
    assert ">13<" in table_row(by_sex, "Female")  # 6 + 7 women
    assert ">8<" in table_row(by_sex, "Male")  # 5 + 3 men
    by_generation = page(client, staff["national"], open_round, "generacion").content.decode()
    assert "20-29 years" in by_generation and "35-50 years" in by_generation


def test_comments_for_coordinators_never_describe_fewer_than_five(
    client, answered, open_round, staff
):
    content = page(client, staff["national"], open_round).content.decode()
    assert "Comentario A0" in content
    # C's comments are shown, but never with "Iquitos": the site is a group of three.
    assert "Comentario C0" in content
    start = content.index("Comentario C0")
    assert "Iquitos" not in content[start : content.index("</li>", start)]
    start = content.index("Comentario A0")
    assert "Villa María del Triunfo" in content[start : content.index("</li>", start)]
    assert "Falta A" in content  # what is missing


def test_a_site_coordinator_reads_only_her_sites_figures_and_words(
    client, answered, open_round, staff
):
    content = page(client, staff["coordinator_a"], open_round).content.decode()
    assert "Comentario A0" in content and "Comentario C0" not in content
    assert ">11<" in table_row(content, "All")


def test_comments_of_a_group_under_five_are_withheld(client, crowd, open_round, staff):
    for participant in crowd["participants"]["C"]:
        give_feedback(participant, {"s01": ratings(2, comment="Solo tres personas")})
    content = page(client, staff["national"], open_round).content.decode()
    assert "Solo tres personas" not in content
    assert "fewer than 5 people answered here" in content
    assert "2.0" not in table_row(content, "All")


def test_accreditors_read_figures_and_assessments_never_words(
    client, answered, open_round, staff, places
):
    workshop_record(
        actor=staff["national"],
        round=open_round,
        record=WorkshopRecord(
            site=places["sites"]["A"],
            held_on=open_round.starts_on,
            notes="Notas generales",
            headcount={("F", "20-29"): 6},
            assessments={"s01": ItemAssessment("adapt", "Notas del grupo", "Una cita del taller")},
        ),
        client_uuid=uuid.uuid4(),
    )
    content = page(client, staff["accreditor"], open_round).content.decode()
    assert "5.0" in table_row(content, "Villa María del Triunfo")
    assert "Adapt: 1" in content  # the group's assessment
    for words in ("Comentario A0", "Falta A", "Una cita del taller", "Notas del grupo"):
        assert words not in content
    coordinator = page(client, staff["national"], open_round).content.decode()
    assert "Una cita del taller" in coordinator and "Notas del grupo" in coordinator


def test_the_results_page_reads_in_a_fixed_number_of_queries(
    client, crowd, open_round, staff, places, django_assert_num_queries
):
    everyone_answers(crowd)
    client.force_login(staff["national"])
    url = en("validation:results", open_round.pk)
    client.get(url)  # warm the caches of the session and the site
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    more = [activist_at(places["cems"][k], sex=s) for k in "AB" for s in "FM" for _ in range(4)]
    for participant in participants_add(actor=staff["national"], round=open_round, people=more):
        give_feedback(participant, {"s01": ratings(3, comment="Otro"), "s03": ratings(2)})
    with django_assert_num_queries(len(few)):
        response = client.get(url)
    assert ">37<" in table_row(response.content.decode(), "All")
