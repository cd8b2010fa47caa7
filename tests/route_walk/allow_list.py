"""Who asks, and the answers an entry of the route table allows each of them."""

from __future__ import annotations

from dataclasses import dataclass

# --- Who asks ----------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
ACTIVIST, TRAINER, COORDINATOR = "activist", "trainer", "coordinator"
NATIONAL, ACCREDITOR, ADMIN = "national", "accreditor", "admin"
OTHER_ACTIVIST, OTHER_TRAINER, OTHER_COORDINATOR = "other-activist", "other-trainer", "other-coord"
EVERYONE = frozenset(
    {
        ANONYMOUS,
        ACTIVIST,
        TRAINER,
        COORDINATOR,
        NATIONAL,
        ACCREDITOR,
        ADMIN,
        OTHER_ACTIVIST,
        OTHER_TRAINER,
        OTHER_COORDINATOR,
    }
)
SIGNED_IN = EVERYONE - {ANONYMOUS}
STAFF = frozenset({COORDINATOR, NATIONAL, ADMIN, OTHER_COORDINATOR})  # the Wagtail admin
OWN_COORDINATORS = frozenset({COORDINATOR, NATIONAL, ADMIN})  # of the walked site

# --- What they get -----------------------------------------------------------------------------

LOGIN = "login"  # a redirect to a sign-in page (the site's, or the admin's)
REST = "rest"  # everybody the entry does not name
REFUSALS = frozenset({LOGIN, 401, 403, 404, 405})
Answer = int | str


@dataclass(frozen=True)
class Expected:
    """The answer each person gets to a GET and to a POST, and the methods whose answers other
    than refusals may write to the database (renders, audit entries of downloads, actions)."""

    get: dict[str, Answer]
    post: dict[str, Answer]
    acts: tuple[str, ...] = ()

    def answer(self, method: str, who: str) -> Answer:
        return (self.get if method == "GET" else self.post)[who]


def _spread(spec: dict, *, implied: dict[str, Answer]) -> dict[str, Answer]:
    spec = dict(spec)
    rest = spec.pop(REST, None)
    answers = dict(implied)
    for answer, people in spec.items():
        for who in people:
            answers[who] = answer
    for who in EVERYONE - answers.keys():
        assert rest is not None, f"no answer for {who}"
        answers[who] = rest
    return answers


def answers(get: dict, post: dict, *, acts=()) -> Expected:
    """A page for people signed in: anonymous visitors are sent to sign in."""
    implied = {ANONYMOUS: LOGIN}
    return Expected(_spread(get, implied=implied), _spread(post, implied=implied), acts)


def public_answers(get: dict, post: dict, *, acts=()) -> Expected:
    return Expected(_spread(get, implied={}), _spread(post, implied={}), acts)


def admin_answers(get: dict, post: dict, *, acts=()) -> Expected:
    """A project page in the Wagtail admin: whoever has no admin access is sent to its sign-in."""
    implied = dict.fromkeys(EVERYONE - STAFF, LOGIN)
    return Expected(_spread(get, implied=implied), _spread(post, implied=implied), acts)
