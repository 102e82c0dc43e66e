"""The authorization matrix (tests/authorization_matrix.md), cell by cell, against the API.

Queries run against one clinic. A mutation row runs its `deny` actors first on a fresh clinic
(a denied call changes nothing, so they share it, and so does the first allowed actor after
them), then each further allowed actor on a clinic of its own, so one actor's change never
decides the next one's outcome. A row whose allowed actors cannot change each other's outcome
(Probe.shared: their own account's settings, records of their own, the same values written
again) runs every actor on one clinic.
"""

from __future__ import annotations

import json
import time
from functools import cache
from typing import Any

import httpx
from graphql import GraphQLSchema

from api.access.needs import Need, effective_scopes
from api.app import build_schema
from api.http.auth import ACTING_FOR_HEADER
from api.settings import Settings
from tests.authorization_support import (
    ACTORS,
    MUTATIONS,
    QUERIES,
    Clinic,
    FieldNeeds,
    Outcome,
    Probe,
    acting_for,
    build_clinic,
    classify,
    covered_needs,
    document,
    expected,
    field_needs,
    out_of_reach,
    read_matrix,
    said_forbidden,
    user_of,
    valid_cell,
)
from tests.conftest import GraphQLClient
from tests.files_support import pdf_bytes, upload

MATRIX = read_matrix()


@cache
def _schema() -> GraphQLSchema:
    return build_schema(Settings())._schema


@cache
def _declared() -> FieldNeeds:
    return field_needs(_schema())


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
    assert MATRIX.actors == ACTORS, "the table's columns are the actors build_clinic makes"
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
    acting = acting_for(clinic, actor)
    if probe.upload:
        response: httpx.Response = await upload(
            gql.http,
            pdf_bytes(),
            "scan.pdf",
            as_user=user,
            patient_id=clinic.raw["a"],
            extra_headers={ACTING_FOR_HEADER: acting} if acting else None,
        )
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
    else:
        variables = probe.variables(clinic, actor)
        body = await gql.execute(
            document(schema, kind, name, variables, wide=probe.wide),
            variables,
            as_user=user,
            acting_for=acting,
        )
    gql.http.cookies.clear()  # signIn sets a session cookie: every probe starts signed out
    return classify(
        name,
        body,
        null_is_answer=probe.null_is_answer,
        covered=covered_needs(actor),
        declared=_declared(),
        refusals=probe.refusals,
    )


def _probed(name: str, probe: Probe, actor: str, outcome: Outcome) -> bool:
    """A denial that tells A's record exists to someone who does not reach it."""
    row = MATRIX.cells[name]
    return probe.a_record and out_of_reach(row, actor) and said_forbidden(name, outcome)


def _checked(row: dict[str, str]) -> list[tuple[str, str]]:
    return [(actor, cell) for actor, cell in row.items() if not cell.startswith("n/a")]


def _report(misses: list[str], started: float, label: str) -> None:
    print(f"{label}: {time.perf_counter() - started:.1f}s")
    assert not misses, f"{len(misses)} cells disagree:\n" + "\n".join(misses)


def _miss(name: str, actor: str, cell: str, outcome: Outcome, marker: str | None) -> str:
    got = outcome.verdict
    if got == "allow" and marker is not None:
        got += " with A's record" if marker in json.dumps(outcome.body) else " without A's record"
    return f"  {name} x {actor}: table says {cell}, got {got}: {outcome.body}"[:900]


async def test_queries_match_the_matrix(gql: GraphQLClient, settings: Settings) -> None:
    started = time.perf_counter()
    schema = _schema()
    clinic = await build_clinic(gql, settings)
    misses: list[str] = []
    cells = 0
    for name, probe in QUERIES.items():
        if probe.prepare is not None:
            await probe.prepare(clinic)
        for actor, cell in _checked(MATRIX.cells[name]):
            if probe.each is not None:
                await probe.each(clinic, actor)
            outcome = await _send(gql, schema, "query", name, probe, clinic, actor)
            cells += 1
            marker = probe.marker and clinic.ids[probe.marker]
            if not expected(cell, outcome, marker):
                misses.append(_miss(name, actor, cell, outcome, marker))
            elif _probed(name, probe, actor, outcome):
                misses.append(_miss(name, actor, "deny (NOT_FOUND)", outcome, None))
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
        runs = [denied + allowed[:1]] + [[pair] for pair in allowed[1:]]
        if probe.shared:
            runs = [row]
        for run in runs:
            clinic = await build_clinic(gql, settings)
            if probe.prepare is not None:
                await probe.prepare(clinic)
            for actor, cell in run:
                if probe.each is not None:
                    await probe.each(clinic, actor)
                outcome = await _send(gql, schema, "mutation", name, probe, clinic, actor)
                cells += 1
                marker = probe.marker and clinic.ids[probe.marker]
                if not expected(cell, outcome, marker):
                    misses.append(_miss(name, actor, cell, outcome, marker))
                elif _probed(name, probe, actor, outcome):
                    misses.append(_miss(name, actor, "deny (NOT_FOUND)", outcome, None))
    _report(misses, started, f"{cells} mutation cells")


# --- the rule for partial answers, on canned bodies -----------------------------------------

APPOINTMENTS_ONLY = effective_scopes({Need.APPOINTMENTS_VIEW})


def _patient(**fields: Any) -> dict[str, Any]:
    return {"__typename": "Patient", "id": "UGF0aWVudDox", "givenName": "Ann"} | fields


def _forbidden(*path: str | int) -> dict[str, Any]:
    return {"message": "no", "path": list(path), "extensions": {"code": "FORBIDDEN"}}


def _judge(body: dict[str, Any], covered: frozenset[Need] | None = APPOINTMENTS_ONLY) -> str:
    return classify("patient", body, covered=covered, declared=_declared()).verdict


def test_the_declared_needs_name_patients_guarded_fields() -> None:
    declared = _declared()
    assert declared.needs[("Patient", "insurance")] is Need.INSURANCE_VIEW
    assert declared.needs[("Patient", "givenName")] is Need.NAME
    assert declared.needs[("Patient", "id")] is Need.NAME
    assert ("Patient", "insurance") in declared.guarded
    assert ("Patient", "givenName") not in declared.guarded
    assert declared.needs[("Appointment", "id")] is Need.NAME


def test_a_partial_answer_is_allow_when_forbidden_only_outside_the_scope() -> None:
    body = {
        "data": {"patient": _patient(waitlist=[], insurance=None, recentPain=None)},
        "errors": [_forbidden("patient", "insurance"), _forbidden("patient", "recentPain")],
    }
    assert _judge(body) == "allow"


def test_forbidden_at_a_field_the_scope_covers_is_not_allow() -> None:
    body = {
        "data": {"patient": _patient(waitlist=None)},
        "errors": [_forbidden("patient", "waitlist")],
    }
    assert _judge(body) == "error:FORBIDDEN@patient.waitlist"


def test_data_outside_the_scope_is_a_leak_and_a_silent_null_is_not_allow() -> None:
    leak = {"data": {"patient": _patient(recentPain=[{"__typename": "Measurement", "id": "x"}])}}
    assert _judge(leak) == "leak@patient.recentPain"
    silent = {"data": {"patient": _patient(insurance=None)}}
    assert _judge(silent) == "silent@patient.insurance"


def test_denied_at_the_operation_is_deny() -> None:
    not_found = {
        "data": {"patient": None},
        "errors": [{"message": "No such patient.", "path": ["patient"],
                    "extensions": {"code": "NOT_FOUND"}}],
    }  # fmt: skip
    assert _judge(not_found) == "deny"
    forbidden = {"data": None, "errors": [_forbidden("patient")]}
    assert _judge(forbidden) == "deny"
    one_of_many = {"data": {"nodes": [None]}, "errors": [_forbidden("nodes", 0)]}
    assert classify("nodes", one_of_many).verdict == "deny"
    typed = {"data": {"patient": {"__typename": "X", "errors": [{"code": "FORBIDDEN"}]}}}
    assert _judge(typed) == "deny"


def test_nested_errors_are_never_allow_for_whole_record_actors() -> None:
    body = {
        "data": {"patient": _patient(insurance=None)},
        "errors": [_forbidden("patient", "insurance")],
    }
    assert _judge(body, covered=None) == "error:FORBIDDEN@patient.insurance"
    internal = {
        "data": {"patient": None},
        "errors": [{"message": "x", "path": ["patient", "careTeam"],
                    "extensions": {"code": "INTERNAL"}}],
    }  # fmt: skip
    assert _judge(internal) == "error:null-from:patient.careTeam"


def test_a_peer_who_does_not_reach_a_is_denied_as_if_nothing_were_there() -> None:
    row = dict.fromkeys(ACTORS, "deny") | {"patient_a": "allow", "caregiver_messages": "allow"}
    assert out_of_reach(row, "patient_b")
    assert out_of_reach(row, "caregiver_revoked")
    assert not out_of_reach(row, "therapist_other")  # therapist_a is denied too: a role rule
    assert not out_of_reach(row, "caregiver_documents")  # reaches A: FORBIDDEN is the answer
    forbidden = Outcome("deny", {"data": None, "errors": [_forbidden("messageThread")]})
    assert said_forbidden("messageThread", forbidden)
    missing = {"message": "No such thread.", "path": ["messageThread"],
               "extensions": {"code": "NOT_FOUND"}}  # fmt: skip
    assert not said_forbidden("messageThread", Outcome("deny", {"errors": [missing]}))
    typed = {"data": {"sendMessage": {"errors": [{"code": "FORBIDDEN"}]}}}
    assert said_forbidden("sendMessage", Outcome("deny", typed))
