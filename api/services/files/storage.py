"""Where a file's bytes live and how they come back, one verified 1 MiB chunk at a time.

DATABASE (the default): FileChunk rows hold the bytes; every worker reads them.
DIRECTORY (PORTAL_FILE_STORAGE names a directory every worker mounts): the file is written
under its generated storage key, first to a temporary name in the same directory and then
renamed, so a reader never sees half a file. FileChunk rows still hold each chunk's SHA-256
(with no data), so both stores are verified the same way on the way out.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
from collections.abc import AsyncIterator, Iterator
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from api.models.files import FileChunk, FileStorage, StoredFile
from api.settings import Settings

CHUNK_BYTES = 1024 * 1024


class ChunkCorrupted(Exception):
    """A chunk's bytes no longer match the SHA-256 recorded when it was stored."""


@dataclass(frozen=True, slots=True)
class Chunked:
    size: int
    sha256: str
    chunk_hashes: list[str]


def new_storage_key() -> str:
    return secrets.token_hex(16)


def storage_of(settings: Settings) -> FileStorage:
    return FileStorage.DATABASE if settings.file_storage == "database" else FileStorage.DIRECTORY


def directory(settings: Settings) -> Path:
    return Path(settings.file_storage)


def _chunks(source: IO[bytes]) -> Iterator[bytes]:
    source.seek(0)
    while chunk := source.read(CHUNK_BYTES):
        yield chunk


def digest(source: IO[bytes]) -> Chunked:
    """Size, whole-file SHA-256 and each chunk's SHA-256, in one pass."""
    whole = hashlib.sha256()
    hashes: list[str] = []
    size = 0
    for chunk in _chunks(source):
        whole.update(chunk)
        hashes.append(hashlib.sha256(chunk).hexdigest())
        size += len(chunk)
    return Chunked(size, whole.hexdigest(), hashes)


def write_to_directory(settings: Settings, storage_key: str, source: IO[bytes]) -> Path:
    """Write the bytes under `storage_key`, atomically (blocking: run in a thread)."""
    target_dir = directory(settings)
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / storage_key
    temporary = target_dir / f".{storage_key}.{secrets.token_hex(4)}.partial"
    try:
        with temporary.open("xb") as out:
            for chunk in _chunks(source):
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        with suppress(FileNotFoundError):
            temporary.unlink()
        raise
    return target


def remove_from_directory(settings: Settings, storage_key: str) -> None:
    with suppress(FileNotFoundError):
        (directory(settings) / storage_key).unlink()


async def save_chunks(row: StoredFile, source: IO[bytes], hashes: list[str]) -> None:
    """The FileChunk rows of a stored file (inside the caller's transaction). One INSERT per
    chunk keeps memory at one chunk whatever the file's size."""
    with_data = row.storage == FileStorage.DATABASE
    chunks = _chunks(source) if with_data else iter(())
    for seq, chunk_hash in enumerate(hashes):
        data = next(chunks) if with_data else b""
        await FileChunk.create(file_id=row.id, seq=seq, data=data, sha256=chunk_hash)


async def read_chunks(settings: Settings, row: StoredFile) -> AsyncIterator[bytes]:
    """The file's bytes chunk by chunk, each checked against its SHA-256 before it is yielded."""
    hashes = await FileChunk.filter(file_id=row.id).order_by("seq").values_list("seq", "sha256")
    handle: IO[bytes] | None = None
    try:
        if row.storage == FileStorage.DIRECTORY:
            handle = await asyncio.to_thread((directory(settings) / row.storage_key).open, "rb")
        for seq, expected in hashes:
            if handle is not None:
                data: bytes = await asyncio.to_thread(handle.read, CHUNK_BYTES)
            else:
                found = await FileChunk.filter(file_id=row.id, seq=seq).values_list(
                    "data", flat=True
                )
                data = bytes(found[0]) if found else b""
            if hashlib.sha256(data).hexdigest() != expected:
                raise ChunkCorrupted(f"file {row.id} chunk {seq}")
            yield data
    finally:
        if handle is not None:
            handle.close()
