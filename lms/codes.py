"""Random, unguessable codes that people can read aloud: no 0/O, 1/I/L, 5/S, 2/Z confusion."""

import secrets

READABLE_ALPHABET = "ABCDEFGHJKMNPQRTUVWXY346789"  # 27 symbols, ≈ 4.75 bits each


def readable_code(*, groups: int, group_size: int = 4) -> str:
    return "-".join(
        "".join(secrets.choice(READABLE_ALPHABET) for _ in range(group_size)) for _ in range(groups)
    )


def participant_code_generate() -> str:
    """Eight symbols (≈ 38 bits) in two groups: short enough to read aloud, hard to guess."""
    return readable_code(groups=2)


def research_code_generate() -> str:
    """Twelve symbols (≈ 57 bits) in three groups, so that it is never mistaken for a
    participant code (two groups) and cannot be guessed from one."""
    return readable_code(groups=3)
