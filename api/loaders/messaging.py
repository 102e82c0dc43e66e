"""Batch loads of the messaging domain: one statement per batch, whatever the number of keys."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class MessagingLoaders:
    """This domain's loaders for one request, named <Target>By<Key>Loader."""
