"""Batch loads of the files domain: one statement per batch, whatever the number of keys."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class FilesLoaders:
    """This domain's loaders for one request, named <Target>By<Key>Loader."""
