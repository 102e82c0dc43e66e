"""Batch loads of the scheduling domain: one statement per batch, whatever the number of keys."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class SchedulingLoaders:
    """This domain's loaders for one request, named <Target>By<Key>Loader."""
