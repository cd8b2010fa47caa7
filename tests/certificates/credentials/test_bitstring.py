import gzip

import pytest

from certificates.credentials import bitstring
from certificates.credentials.encoding import from_multibase_base64url


def test_an_empty_list_is_16_kib_of_zero_bits_in_multibase_base64url_gzip():
    encoded = bitstring.encode([], 131_072)
    assert encoded.startswith("u") and "=" not in encoded
    bits = gzip.decompress(from_multibase_base64url(encoded))
    assert bits == bytes(16_384)


def test_index_zero_is_the_most_significant_bit_of_the_first_byte():
    bits = bitstring.decode(bitstring.encode([0, 9, 131_071], 131_072))
    assert bits[0] == 0b1000_0000
    assert bits[1] == 0b0100_0000
    assert bits[-1] == 0b0000_0001
    assert sum(bin(byte).count("1") for byte in bits) == 3


def test_is_set_reads_back_each_bit():
    encoded = bitstring.encode([5, 70_000], 131_072)
    assert bitstring.is_set(encoded, 5) and bitstring.is_set(encoded, 70_000)
    assert not bitstring.is_set(encoded, 4) and not bitstring.is_set(encoded, 6)


def test_the_same_bits_always_give_the_same_text():
    assert bitstring.encode([1, 2, 3], 131_072) == bitstring.encode([3, 2, 1], 131_072)


def test_lists_smaller_than_the_minimum_or_indexes_outside_are_refused():
    with pytest.raises(ValueError):
        bitstring.encode([], 1024)
    with pytest.raises(ValueError):
        bitstring.encode([131_072], 131_072)
