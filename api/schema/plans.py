"""The plans domain as the API shows it."""

from __future__ import annotations
