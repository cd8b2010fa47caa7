"""W3C Bitstring Status List encoding. No Django.

``encodedList`` is the multibase base64url (prefix ``u``, no padding) of the GZIP-compressed
bitstring; index 0 is the most significant bit of the first byte (*Bitstring Status List v1.0*
§3.1). GZIP is written with a zero timestamp so the same bits always give the same text.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterable

from certificates.credentials.encoding import from_multibase_base64url, multibase_base64url

MINIMUM_SIZE = 131_072  # 16 KB: the specification's minimum, for herd privacy


def encode(set_indexes: Iterable[int], size: int) -> str:
    if size < MINIMUM_SIZE or size % 8:
        raise ValueError(f"a status list has at least {MINIMUM_SIZE} bits, in whole bytes")
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise ValueError(f"index {index} is outside a list of {size} bits")
        bits[index // 8] |= 0x80 >> (index % 8)
    return multibase_base64url(gzip.compress(bytes(bits), compresslevel=9, mtime=0))


def decode(encoded_list: str) -> bytes:
    return gzip.decompress(from_multibase_base64url(encoded_list))


def is_set(encoded_list: str, index: int) -> bool:
    bits = decode(encoded_list)
    return bool(bits[index // 8] & (0x80 >> (index % 8)))
