"""Media files through the storage API, so the same code backs up a folder or an S3 bucket."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage

from lms.backup.manifest import FileEntry, sha256_of, sha256_of_file


def storage_files(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in the storage, depth first; a missing media folder holds nothing."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from storage_files(storage, f"{path}/{directory}" if path else directory)


def media_is_empty(storage: Storage) -> bool:
    return next(storage_files(storage), None) is None


def media_backup(storage: Storage, folder: Path) -> list[FileEntry]:
    entries = []
    for name in storage_files(storage):
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, target.open("wb") as copy:
            while chunk := source.read(1024 * 1024):
                copy.write(chunk)
        digest, size = sha256_of_file(target)
        entries.append(FileEntry(name=name, bytes=size, sha256=digest))
    return entries


def media_problems(folder: Path, entries: list[FileEntry]) -> list[str]:
    """Files of the snapshot that are missing or do not match their checksum."""
    problems = []
    for entry in entries:
        path = folder / entry.name
        if not path.is_file():
            problems.append(f"media file {entry.name} is missing from the snapshot")
        elif sha256_of_file(path) != (entry.sha256, entry.bytes):
            problems.append(f"media file {entry.name} does not match its checksum")
    return problems


def media_restore(storage: Storage, folder: Path, entries: list[FileEntry]) -> None:
    for entry in entries:
        with (folder / entry.name).open("rb") as source:
            saved = storage.save(entry.name, File(source, name=entry.name))
        if saved != entry.name:
            raise RuntimeError(f"the storage saved {entry.name} as {saved}")


def stored_problems(storage: Storage, entries: list[FileEntry]) -> list[str]:
    """Files of the manifest that the storage does not hold as they were saved."""
    problems = []
    for entry in entries:
        try:
            with storage.open(entry.name, "rb") as stored:
                found = sha256_of(stored)
        except FileNotFoundError:
            problems.append(f"media file {entry.name} was not restored")
            continue
        if found != (entry.sha256, entry.bytes):
            problems.append(f"media file {entry.name} was restored with other contents")
    return problems
