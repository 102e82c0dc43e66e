"""The authorization matrix (tests/authorization_matrix.md), cell by cell, against the API.

Queries run against one clinic. A mutation row runs its `deny` actors first on a fresh clinic
(a denied call changes nothing, so they share it), then each allowed actor on a clinic of its
own, so one actor's change never decides the next one's outcome.
"""

from __future__ import annotations

import time
from typing import Any

import httpx
from graphql import GraphQLSchema

from api.app import build_schema
from api.settings import Settings
from tests.authorization_support import (
    ANONYMOUS,
    MUTATIONS,
    QUERIES,
    Clinic,
    Outcome,
    Probe,
    build_clinic,
    classify,
    document,
    expected,
    read_matrix,
    user_of,
    valid_cell,
)
from tests.conftest import GraphQLClient
from tests.files_support import pdf_bytes, upload

MATRIX = read_matrix()


def _schema() -> GraphQLSchema:
    return build_schema(Settings())._schema


def test_every_root_operation_has_a_row_and_a_document() -> None:
    schema = _schema()
    assert schema.query_type is not None
    assert schema.mutation_type is not None
    operations = {name: "query" for name in schema.query_type.fields} | {
        name: "mutation" for name in schema.mutation_type.fields
    }
    assert sorted(set(operations) - set(MATRIX.kinds)) == [], "operations without a row"
    assert sorted(set(MATRIX.kinds) - set(operations)) == [], "rows without an operation"
    assert {name: MATRIX.kinds[name] for name in operations} == operations
    assert MATRIX.actors[0] == ANONYMOUS
    bad = {
        (name, actor, cell)
        for name, row in MATRIX.cells.items()
        for actor, cell in row.items()
        if not valid_cell(cell)
    }
    assert bad == set()
    for name, row in MATRIX.cells.items():
        checked = any(not cell.startswith("n/a") for cell in row.values())
        documents = QUERIES if MATRIX.kinds[name] == "query" else MUTATIONS
        assert (name in documents) == checked, f"{name}: a document iff a checked cell"
    assert set(QUERIES) | set(MUTATIONS) <= set(MATRIX.kinds)


def test_na_is_kept_for_account_lifecycle_operations() -> None:
    lifecycle = {
        "register", "verifyEmail", "resendVerificationEmail", "signIn", "verifySecondFactor",
        "signOut", "requestPasswordReset", "resetPassword", "changePassword", "changeEmail",
        "startTotpEnrollment", "confirmTotpEnrollment", "disableTotp", "regenerateRecoveryCodes",
        "revokeSession", "revokeAllSessions", "forgetRememberedDevice", "deactivateAccount",
    }  # fmt: skip
    with_na = {
        name for name, row in MATRIX.cells.items() if any(c.startswith("n/a") for c in row.values())
    }
    assert with_na <= lifecycle


async def _send(
    gql: GraphQLClient,
    schema: GraphQLSchema,
    kind: str,
    name: str,
    probe: Probe,
    clinic: Clinic,
    actor: str,
) -> Outcome:
    user = user_of(clinic, actor)
    if probe.upload:
        response: httpx.Response = await upload(
            gql.http, pdf_bytes(), "scan.pdf", as_user=user, patient_id=clinic.raw["a"]
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
    else:
        variables = probe.variables(clinic, actor)
        body = await gql.execute(document(schema, kind, name, variables), variables, as_user=user)
    gql.http.cookies.clear()  # signIn sets a session cookie: every probe starts signed out
    return classify(name, body, null_is_answer=probe.null_is_answer)


def _checked(row: dict[str, str]) -> list[tuple[str, str]]:
    return [(actor, cell) for actor, cell in row.items() if not cell.startswith("n/a")]


def _report(misses: list[str], started: float, label: str) -> None:
    print(f"{label}: {time.perf_counter() - started:.1f}s")
    assert not misses, f"{len(misses)} cells disagree:\n" + "\n".join(misses)


def _miss(name: str, actor: str, cell: str, outcome: Outcome) -> str:
    return f"  {name} x {actor}: table says {cell}, got {outcome.verdict}: {outcome.body}"[:600]


async def test_queries_match_the_matrix(gql: GraphQLClient, settings: Settings) -> None:
    started = time.perf_counter()
    schema = _schema()
    clinic = await build_clinic(gql, settings)
    misses: list[str] = []
    cells = 0
    for name, probe in QUERIES.items():
        for actor, cell in _checked(MATRIX.cells[name]):
            outcome = await _send(gql, schema, "query", name, probe, clinic, actor)
            cells += 1
            if not expected(cell, outcome, probe.marker and clinic.ids[probe.marker]):
                misses.append(_miss(name, actor, cell, outcome))
    _report(misses, started, f"{cells} query cells")


async def test_mutations_match_the_matrix(gql: GraphQLClient, settings: Settings) -> None:
    started = time.perf_counter()
    schema = _schema()
    misses: list[str] = []
    cells = 0
    for name, probe in MUTATIONS.items():
        row = _checked(MATRIX.cells[name])
        denied = [(actor, cell) for actor, cell in row if cell == "deny"]
        allowed = [(actor, cell) for actor, cell in row if cell != "deny"]
        runs = [denied] + [[pair] for pair in allowed] if denied else [[p] for p in allowed]
        for run in runs:
            clinic = await build_clinic(gql, settings)
            if probe.prepare is not None:
                await probe.prepare(clinic)
            for actor, cell in run:
                outcome = await _send(gql, schema, "mutation", name, probe, clinic, actor)
                cells += 1
                if not expected(cell, outcome, probe.marker and clinic.ids[probe.marker]):
                    misses.append(_miss(name, actor, cell, outcome))
    _report(misses, started, f"{cells} mutation cells")
