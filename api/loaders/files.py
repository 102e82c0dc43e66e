"""Batch loads of the files domain: one statement per batch, whatever the number of keys.

The loaders do not check access: the schema checks each file's patient before it answers.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from aiodataloader import DataLoader

from api.models.files import StoredFile, VideoComment


class StoredFileByIdLoader(DataLoader[int, StoredFile | None]):
    async def batch_load_fn(self, keys: Sequence[int]) -> list[StoredFile | None]:
        rows = {row.id: row for row in await StoredFile.filter(id__in=list(keys))}
        return [rows.get(key) for key in keys]


class VideoCommentsByFileIdLoader(DataLoader[int, list[VideoComment]]):
    """Each video's comments in the order of the moments they point at."""

    async def batch_load_fn(self, keys: Sequence[int]) -> list[list[VideoComment]]:
        grouped: dict[int, list[VideoComment]] = defaultdict(list)
        for row in await VideoComment.filter(file_id__in=list(keys)).order_by("at_ms", "id"):
            grouped[row.file_id].append(row)
        return [grouped.get(key, []) for key in keys]


@dataclass(slots=True)
class FilesLoaders:
    """This domain's loaders for one request, named <Target>By<Key>Loader."""

    stored_file_by_id: StoredFileByIdLoader = field(default_factory=StoredFileByIdLoader)
    video_comments_by_file_id: VideoCommentsByFileIdLoader = field(
        default_factory=VideoCommentsByFileIdLoader
    )
