"""Root operations of the files domain; thin: parse, call a service, map."""

from __future__ import annotations

import strawberry


@strawberry.type
class FilesQuery:
    pass


@strawberry.type
class FilesMutation:
    pass
