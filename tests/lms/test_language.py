"""The language switcher: plain links to the same page under each language's prefix."""

import re

LINKS = re.compile(r'<nav class="lang".*?</nav>', re.S)


def switcher(content: str) -> str:
    [nav] = LINKS.findall(content)
    return nav


def test_spanish_page_links_to_its_english_twin_keeping_the_query(client, home_page):
    nav = switcher(client.get("/buscar/?q=sociodrama").content.decode())
    assert 'href="/en/buscar/?q=sociodrama" lang="en" hreflang="en">English</a>' in nav
    assert 'href="/buscar/?q=sociodrama" lang="es" hreflang="es" aria-current="true"' in nav


def test_english_page_links_back_to_spanish(client, home_page, curriculum_index):
    response = client.get("/en/curriculo/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    nav = switcher(response.content.decode())
    assert 'href="/curriculo/" lang="es" hreflang="es">Español</a>' in nav
    assert 'href="/en/curriculo/" lang="en" hreflang="en" aria-current="true"' in nav


def test_the_unprefixed_address_is_spanish_whatever_the_browser_prefers(client, home_page):
    response = client.get("/buscar/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "es-pe"


def test_anonymous_pages_carry_no_csrf_token(client, home_page, curriculum_index):
    for path in ("/", "/curriculo/", "/en/curriculo/", "/buscar/?q=x"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "csrfmiddlewaretoken" not in response.content.decode(), path
        assert "csrftoken" not in response.cookies, path
