"""The exercise catalogue: the shipped library kept in step, and a clinic's own exercises."""

from __future__ import annotations

from api.services.exercises.library_sync import LibrarySync, reconcile_library, sync_library

__all__ = ["LibrarySync", "reconcile_library", "sync_library"]
