import pytest


@pytest.mark.parametrize(
    ("language", "next_url", "expected"),
    [
        ("en", "/buscar/?q=sociodrama", "/en/buscar/?q=sociodrama"),
        ("es-pe", "/en/buscar/", "/buscar/"),
    ],
)
def test_switching_language_keeps_the_page(client, db, language, next_url, expected):
    response = client.post("/idioma/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == expected
    assert client.cookies["django_language"].value == language


def test_switcher_is_on_every_page_with_the_current_path(client, home_page):
    content = client.get("/buscar/?q=x").content.decode()
    assert 'action="/idioma/"' in content
    assert 'name="next" type="hidden" value="/buscar/?q=x"' in content
