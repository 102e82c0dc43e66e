"""Root queries and mutations of the progress domain; thin: parse, call a service, map."""

from __future__ import annotations

import strawberry


@strawberry.type
class ProgressQuery:
    pass


@strawberry.type
class ProgressMutation:
    pass
