"""QR codes: segno's matrix, cut into horizontal runs of dark modules drawn as one path."""

import segno

from certificates.pdf.qr import qr_matrix, qr_runs

URL = "https://formacion.cem.gob.pe/certificados/verificar/7KQ2-9XMP-4TRA-WC3H/"


def test_qr_matrix_is_segnos_matrix():
    expected = segno.make(URL, error="m", micro=False)

    matrix = qr_matrix(URL)

    assert len(matrix) == expected.symbol_size(border=0)[0]
    assert [[bool(v) for v in row] for row in expected.matrix] == [list(row) for row in matrix]


def test_qr_runs_cover_exactly_the_dark_modules():
    matrix = qr_matrix(URL)
    size = len(matrix)
    rebuilt = [[False] * size for _ in range(size)]

    for row, col, length in qr_runs(matrix):
        assert length > 0
        for x in range(col, col + length):
            assert not rebuilt[row][x]
            rebuilt[row][x] = True

    assert rebuilt == [list(row) for row in matrix]
    # Runs are maximal: two runs on one row never touch.
    runs = qr_runs(matrix)
    for (row_a, col_a, len_a), (row_b, col_b, _) in zip(runs, runs[1:], strict=False):
        if row_a == row_b:
            assert col_a + len_a < col_b


def test_qr_runs_handle_edges():
    matrix = ((True, True, False, True), (False, False, False, False), (True, False, True, True))

    assert qr_runs(matrix) == ((0, 0, 2), (0, 3, 1), (2, 0, 1), (2, 2, 2))
