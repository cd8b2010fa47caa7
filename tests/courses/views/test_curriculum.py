from tests.factories import SessionPageFactory, activity


def test_search_finds_a_session_by_a_word_in_an_activity(client, course):
    session = SessionPageFactory(
        parent=course,
        title="Sesión de consentimiento",
        activities=[
            activity("Inicio", 30),
            activity(
                "Caso",
                30,
                instructions="<p>Representar un sociodrama sobre la mototaxi del barrio.</p>",
            ),
        ],
    )
    SessionPageFactory(parent=course, title="Otra sesión")
    response = client.get("/buscar/", {"q": "mototaxi"})
    assert response.status_code == 200
    results = list(response.context["results"])
    assert [r.pk for r in results] == [session.pk]
    assert session.title in response.content.decode()


def test_search_without_query_shows_the_form(client, course):
    response = client.get("/buscar/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()
