"""Root fields every client uses: `node`, `nodes`, `serverInfo`."""

from __future__ import annotations

import asyncio

import strawberry
from strawberry import relay

from api import PRODUCT_NAME, __version__
from api.context import Info
from api.errors import BadUserInput
from api.schema.relay import resolve_node
from api.schema.system import ServerInfo

MAX_NODES = 100


@strawberry.type
class SystemQuery:
    @strawberry.field(
        description="Any object by its global id; null when it does not exist for you."
    )
    async def node(self, info: Info, id: strawberry.ID) -> relay.Node | None:
        return await resolve_node(info, str(id))

    @strawberry.field(description=f"Several objects by global id (at most {MAX_NODES}).")
    async def nodes(self, info: Info, ids: list[strawberry.ID]) -> list[relay.Node | None]:
        if len(ids) > MAX_NODES:
            raise BadUserInput(f"Ask for at most {MAX_NODES} ids at once.", field="ids")
        # Gathered, so the nodes of one type share a loader batch (one statement).
        return list(await asyncio.gather(*(resolve_node(info, str(value)) for value in ids)))

    @strawberry.field(description="The API's name and version.")
    def server_info(self) -> ServerInfo:
        return ServerInfo(name=PRODUCT_NAME, version=__version__)
