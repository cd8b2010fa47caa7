"""The backup manifest (``cem-backup/1``): what a snapshot holds, with counts and checksums."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

FORMAT = "cem-backup/1"
MANIFEST_NAME = "manifest.json"
CHUNK = 1024 * 1024


def sha256_of(stream) -> tuple[str, int]:
    """Checksum and size of a binary stream, read in chunks."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def sha256_of_file(path: Path) -> tuple[str, int]:
    with path.open("rb") as stream:
        return sha256_of(stream)


@dataclass(frozen=True)
class FileEntry:
    name: str
    bytes: int
    sha256: str


@dataclass
class Manifest:
    created_at: str
    vendor: str  # "sqlite" or "postgresql"
    database: FileEntry
    migrations: list[str]  # applied migrations, "app.name", sorted
    tables: dict[str, int]  # row count of every table
    media: list[FileEntry] = field(default_factory=list)
    format: str = FORMAT

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    @property
    def media_bytes(self) -> int:
        return sum(entry.bytes for entry in self.media)

    def write(self, folder: Path) -> None:
        text = json.dumps(asdict(self), indent=2, ensure_ascii=False, sort_keys=True)
        (folder / MANIFEST_NAME).write_text(text + "\n", encoding="utf-8")

    @classmethod
    def read(cls, folder: Path) -> Manifest:
        data = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} manifest (format {data.get('format')!r})")
        return cls(
            created_at=data["created_at"],
            vendor=data["vendor"],
            database=FileEntry(**data["database"]),
            migrations=list(data["migrations"]),
            tables={str(k): int(v) for k, v in data["tables"].items()},
            media=[FileEntry(**entry) for entry in data["media"]],
        )
