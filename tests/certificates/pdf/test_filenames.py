"""File names of the documents: safe in any browser, operating system and archive."""

import pytest

from certificates.pdf.filenames import filename_part, safe_filename


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("7KQ2-9XMP", "7KQ2-9XMP"),
        ("../7KQ2 9XMP/", "7KQ2-9XMP"),
        ("Masculinidades Ñ 101", "Masculinidades-N-101"),
        ("ejemplo_tolerancia_v1.0", "ejemplo_tolerancia_v1.0"),
        ('a"b;c\r\nd', "a-b-c-d"),
        ("///", ""),
    ],
)
def test_a_part_keeps_ascii_letters_digits_dots_underscores_and_hyphens(text, part):
    assert filename_part(text) == part


def test_a_file_name_joins_its_parts_and_leaves_empty_ones_out():
    assert safe_filename("acta", "MASC 101", "", "grupo", 7, extension="pdf") == (
        "acta-MASC-101-grupo-7.pdf"
    )


def test_nothing_left_still_names_a_file():
    assert safe_filename("../", extension="csv") == "documento.csv"
