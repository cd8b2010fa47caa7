"""Journey (e): the header's language links switch a page between Spanish and English in place."""

import re

import pytest

pytestmark = pytest.mark.journey

ENGLISH_NAV = re.compile(r"^\s*Search\s*$")
SPANISH_NAV = re.compile(r"^\s*Buscar\s*$")


def _path(page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url).split("#")[0]


def _switch(j, language: str, step: str) -> None:
    page = j.page
    name = "English" if language == "en" else "Español"
    with page.expect_navigation():
        page.locator("nav.lang").get_by_role("link", name=name, exact=True).click()
    j.check(step)


def _assert_language(page, path: str, *, english: bool) -> None:
    expected = f"/en{path}" if english else path
    assert _path(page) == expected, f"{'English' if english else 'Spanish'} should be at {expected}"
    assert page.locator("html").get_attribute("lang") == ("en" if english else "es")
    search = page.locator('nav a[href$="/buscar/"]')
    assert re.match(ENGLISH_NAV if english else SPANISH_NAV, search.inner_text())
    assert search.get_attribute("href") == ("/en/buscar/" if english else "/buscar/")


def test_language_switch_keeps_the_page(journey):
    j = journey("language")
    page = j.page
    j.login("activista-iquitos")

    # A course page of the curriculum (a Wagtail page).
    page.goto("/curriculo/")
    j.check("curriculum")
    page.locator("main ul.cards h2 a").first.click()
    page.wait_for_url(re.compile(r"/curriculo/[^/]+/$"))
    j.check("course")
    course = _path(page)
    _assert_language(page, course, english=False)
    _switch(j, "en", "course-en")
    _assert_language(page, course, english=True)
    _switch(j, "es-pe", "course-es")
    _assert_language(page, course, english=False)

    # "My courses" (a Django view).
    page.locator('nav a[href$="/mis-cursos/"]').click()
    page.wait_for_url("**/mis-cursos/")
    j.check("my-courses")
    _assert_language(page, "/mis-cursos/", english=False)
    _switch(j, "en", "my-courses-en")
    _assert_language(page, "/mis-cursos/", english=True)
    assert page.locator("article.enrollment").count() >= 1
    _switch(j, "es-pe", "my-courses-es")
    _assert_language(page, "/mis-cursos/", english=False)
