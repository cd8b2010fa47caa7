"""Every URL of the project, asked by every kind of user, answers as ``routes.ROUTES`` says."""

from __future__ import annotations

import pytest

from tests.route_walk.allow_list import EVERYONE, REFUSALS, STAFF
from tests.route_walk.routes import ROUTES
from tests.route_walk.walker import (
    answer_class,
    ask,
    build_world,
    menu_urls,
    names_beside_research_codes,
    url_of,
    walked_routes,
)


@pytest.fixture
def world(db):
    return build_world()


def test_every_route_answers_as_the_table_says(client, world):
    routes = walked_routes()
    names = {w.name for w in routes}
    assert not names - ROUTES.keys(), (
        f"routes the table does not know: {sorted(names - ROUTES.keys())}"
    )
    assert not ROUTES.keys() - names, (
        f"the table names routes that are gone: {sorted(ROUTES.keys() - names)}"
    )
    wrong = []
    for walked in routes:
        url = url_of(walked, world)
        expected = ROUTES[walked.name]
        for method in ("GET", "POST"):
            for who in sorted(EVERYONE):
                asked = ask(client, world, who, method, url)
                response, writes = asked.response, asked.writes
                got, want = answer_class(response), expected.answer(method, who)
                where = f"{method} {url} as {who}"
                if got != want:
                    wrong.append(f"{where}: answered {got}, the table says {want}")
                if writes and (method not in expected.acts or got in REFUSALS):
                    wrong.append(f"{where}: wrote {writes[:2]}")
                if leaked := names_beside_research_codes(world, asked.text):
                    wrong.append(f"{where}: research codes beside names {leaked[:2]}")
    assert not wrong, f"{len(wrong)} answers differ:\n" + "\n".join(wrong)


def test_the_admin_menus_open_for_whoever_sees_them(client, world):
    wrong, opened = [], 0
    for who in sorted(STAFF):
        for url in sorted(menu_urls(client, world, who)):
            asked = ask(client, world, who, "GET", url)
            response, writes = asked.response, asked.writes
            opened += 1
            if response.status_code not in (200, 302):
                wrong.append(f"GET {url} as {who} (in her menu): {response.status_code}")
            if writes:
                wrong.append(f"GET {url} as {who} wrote {writes[:2]}")
            if leaked := names_beside_research_codes(world, asked.text):
                wrong.append(f"GET {url} as {who}: research codes beside names {leaked[:2]}")
    assert opened > 40
    assert not wrong, "\n".join(wrong)
