"""Participants' full names found in free text, whatever the accents, case and spacing."""

from courses.validation.names import REDACTED, NameFinder

PEOPLE = [("María Elena", "Quispe Mamani"), ("Juan", "Ñahui Pérez"), ("Ana", "")]


def test_a_given_name_and_a_surname_make_a_full_name():
    finder = NameFinder(PEOPLE)
    assert finder.contains_name("Según María Quispe, la sesión es larga.")
    assert finder.contains_name("maria elena  QUISPE mamani lo dijo")
    assert finder.contains_name("Lo propuso Juan Ñahui.")
    assert finder.contains_name("Lo propuso juan nahui perez.")
    assert finder.contains_name("Elena Quispe opinó")


def test_a_given_name_or_a_surname_alone_is_no_full_name():
    finder = NameFinder(PEOPLE)
    assert not finder.contains_name("María dijo que la sesión es larga.")
    assert not finder.contains_name("La familia Quispe vive lejos.")
    assert not finder.contains_name("Mariana Quispeña habló")  # other words that contain them
    assert not finder.contains_name("Ana opinó")  # no surname recorded: nothing to match


def test_redaction_keeps_the_rest_of_the_text_and_its_accents():
    finder = NameFinder(PEOPLE)
    text = "Dijo María Elena Quispe Mamani: «la dinámica del ovillo funciona»; Juan Pérez no."
    assert finder.redact(text) == (
        f"Dijo {REDACTED}: «la dinámica del ovillo funciona»; Juan Pérez no."
    )
    assert finder.redact("Juan Ñahui Pérez y María Quispe") == f"{REDACTED} y {REDACTED}"


def test_nobody_to_find():
    finder = NameFinder([])
    assert not finder.contains_name("María Quispe")
    assert finder.redact("María Quispe") == "María Quispe"
