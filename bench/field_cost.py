"""What each resolved field costs: a 1,000-row list through Strawberry vs bare graphql-core.

Both execute the same document over the same in-memory rows (no database), so the difference is
the execution machinery alone: Strawberry's field resolution and type checks against
graphql-core's default attribute resolvers. The rows are the API's real `Exercise` type with its
plain leaf fields (the `id` field, a resolver that builds a global id, is timed as its own case).
"""

from __future__ import annotations

import asyncio
import statistics
import time
from datetime import UTC, datetime
from typing import Any

import strawberry
from graphql import (
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLString,
    graphql,
)

from api.models.plans import BodyRegion
from api.schema.exercises import Dosage, Exercise

ROWS = 1000
RUNS = 30
SCALARS = ("slug", "name", "bodyRegion", "cautions", "videoUrl", "custom", "archived")
PLAIN = "{ rows { " + " ".join(SCALARS) + " } }"
WITH_ID = "{ rows { id " + " ".join(SCALARS) + " } }"


def _rows() -> list[Exercise]:
    now = datetime.now(UTC)
    return [
        Exercise(
            id=index,
            slug=f"exercise-{index}",
            name=f"Exercise {index}",
            body_region=BodyRegion.KNEE,
            instructions=["one", "two", "three"],
            equipment=[],
            cautions="Stop if it hurts.",
            video_url=None,
            image_urls=[],
            default_dosage=Dosage(
                sets=3,
                reps=10,
                hold_seconds=None,
                duration_seconds=None,
                times_per_day=1,
                days_per_week=7,
            ),
            custom=False,
            archived=False,
            created_at=now,
            regression_id=None,
            progression_id=None,
        )
        for index in range(ROWS)
    ]


def _strawberry_schema(rows: list[Exercise]) -> strawberry.Schema:
    @strawberry.type
    class Query:
        @strawberry.field
        def rows(self) -> list[Exercise]:
            return rows

    return strawberry.Schema(query=Query)


def _bare_schema(rows: list[Exercise]) -> GraphQLSchema:
    region = GraphQLEnumType("BodyRegion", {member.name: member for member in BodyRegion})
    row_type = GraphQLObjectType(
        "Exercise",
        {
            "slug": GraphQLField(GraphQLNonNull(GraphQLString)),
            "name": GraphQLField(GraphQLNonNull(GraphQLString)),
            "bodyRegion": GraphQLField(
                GraphQLNonNull(region), resolve=lambda row, _: row.body_region
            ),
            "cautions": GraphQLField(GraphQLNonNull(GraphQLString)),
            "videoUrl": GraphQLField(GraphQLString, resolve=lambda row, _: row.video_url),
            "custom": GraphQLField(GraphQLNonNull(GraphQLBoolean)),
            "archived": GraphQLField(GraphQLNonNull(GraphQLBoolean)),
        },
    )
    query = GraphQLObjectType(
        "Query",
        {
            "rows": GraphQLField(
                GraphQLNonNull(GraphQLList(GraphQLNonNull(row_type))), resolve=lambda *_: rows
            )
        },
    )
    return GraphQLSchema(query)


async def _median_ms(execute: Any) -> float:
    for _ in range(3):
        await execute()
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        await execute()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


async def run() -> dict[str, Any]:
    rows = _rows()
    straw = _strawberry_schema(rows)
    bare = _bare_schema(rows)

    async def via_strawberry(document: str) -> None:
        result = await straw.execute(document)
        assert result.errors is None, result.errors

    async def via_graphql_core() -> None:
        result = await graphql(bare, PLAIN)
        assert result.errors is None, result.errors

    strawberry_ms = await _median_ms(lambda: via_strawberry(PLAIN))
    with_id_ms = await _median_ms(lambda: via_strawberry(WITH_ID))
    core_ms = await _median_ms(via_graphql_core)
    fields = ROWS * len(SCALARS)
    return {
        "rows": ROWS,
        "fields_per_row": len(SCALARS),
        "strawberry_ms": round(strawberry_ms, 2),
        "graphql_core_ms": round(core_ms, 2),
        "strawberry_ns_per_field": round(strawberry_ms * 1e6 / fields),
        "graphql_core_ns_per_field": round(core_ms * 1e6 / fields),
        "ratio": round(strawberry_ms / core_ms, 2),
        "with_global_id_ms": round(with_id_ms, 2),
        "global_id_ns_per_row": round((with_id_ms - strawberry_ms) * 1e6 / ROWS),
    }


if __name__ == "__main__":
    print(asyncio.run(run()))
