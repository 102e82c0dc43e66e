"""The scheduling domain's types as the API shows them."""

from __future__ import annotations

TYPES: tuple[type, ...] = ()
