"""What the server says about itself (no secrets, no configuration)."""

from __future__ import annotations

import strawberry


@strawberry.type(description="The API's name and version, for clients checking they can reach it.")
class ServerInfo:
    name: str
    version: str
