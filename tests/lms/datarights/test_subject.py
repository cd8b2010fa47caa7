"""What identifies a person, and how erasure finds and replaces it in free text."""

from django.contrib.auth.models import User

from lms.datarights.subject import ERASED, Subject


def subject(**values) -> Subject:
    base = {
        "user": User(username="rosa.quispe"),
        "profile": None,
        "given_names": "Rosa Elena",
        "surnames": "Quispe Huamán",
        "username": "rosa.quispe",
        "email": "rosa@example.org",
        "phone": "+51 912 345 678",
        "participant_code": "ABCD-EFGH",
        "answers_code": "ABCD-EFGH",
    }
    return Subject(**(base | values))


def test_names_cover_whole_given_and_surnames_and_former_names():
    person = subject(former_names=("Rosa Elena Quispe",))
    assert person.names() == [
        "Rosa Elena Quispe Huamán",
        "Rosa Elena Quispe",
        "Rosa Elena",
        "Quispe Huamán",
    ]
    # One common first name alone is never a name of hers to look for.
    assert "Rosa" not in subject(given_names="Rosa").names()


def test_scrub_replaces_every_identifier_and_the_phone_however_it_was_typed():
    person = subject()
    text = (
        "ROSA ELENA QUISPE HUAMÁN (rosa@example.org, 912-345-678) llegó; "
        "código ABCD-EFGH; usuario rosa.quispe; otra Rosa también."
    )
    scrubbed = person.scrub(text)
    assert scrubbed.count(ERASED) == 5
    assert "otra Rosa también" in scrubbed and not person.mentions(scrubbed)
    assert person.scrub("Quispe Huamán llamó", replacement="borrada-x") == "borrada-x llamó"
