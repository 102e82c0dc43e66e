"""Deny by default, checked on the whole schema: no patient data ships without a declared need.

Starting from every type marked `@patient_owned`, the walk follows each field to the object types
it returns (through lists, connections and unions). Every type it reaches must itself be
patient-owned or marked as clinic content, and every field of a patient-owned type that has
its own resolver (a relation, a computed value) must declare its need explicitly: those are the
fields that reach other records.
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLNamedType, GraphQLObjectType, GraphQLUnionType, get_named_type

from api.access.needs import ACCESS_KEY, CLINIC_CONTENT_ATTRIBUTE, TYPE_ACCESS_ATTRIBUTE, Need
from api.app import build_schema
from api.settings import Settings

# Generic wrappers that carry no data of their own.
STRUCTURAL = {"PageInfo"}


def _origin(named: GraphQLNamedType) -> Any:
    definition = named.extensions.get("strawberry-definition") if named.extensions else None
    return getattr(definition, "origin", None)


def _is_patient_owned(named: GraphQLNamedType) -> bool:
    return getattr(_origin(named), TYPE_ACCESS_ATTRIBUTE, None) is not None


def _is_clinic_content(named: GraphQLNamedType) -> bool:
    return bool(getattr(_origin(named), CLINIC_CONTENT_ATTRIBUTE, False))


def _is_wrapper(named: GraphQLNamedType) -> bool:
    return named.name in STRUCTURAL or named.name.endswith(("Connection", "Edge"))


def _is_payload(named: GraphQLNamedType) -> bool:
    """A mutation's success type: it only carries records, each checked on its own."""
    return named.name.endswith("Payload")


def _object_types(named: GraphQLNamedType) -> list[GraphQLObjectType]:
    if isinstance(named, GraphQLUnionType):
        return list(named.types)
    return [named] if isinstance(named, GraphQLObjectType) else []


def _schema_types(settings: Settings) -> dict[str, GraphQLNamedType]:
    schema = build_schema(settings)
    return dict(schema._schema.type_map)


def test_every_type_reached_from_patient_data_declares_who_may_read_it(settings: Settings) -> None:
    types = _schema_types(settings)
    objects = [t for t in types.values() if isinstance(t, GraphQLObjectType)]
    owned = [t for t in objects if _is_patient_owned(t)]
    assert {"Patient", "TreatmentPlan", "Measurement"} <= {t.name for t in owned}
    # A type that names a patient is patient data wherever it is used.
    naming_a_patient = [
        t.name
        for t in objects
        if {"patient", "patientId"} & set(t.fields)
        and not (_is_patient_owned(t) or _is_payload(t) or t.name in ("Query", "Mutation"))
    ]
    assert not naming_a_patient, (
        f"types naming a patient without a declared need: {naming_a_patient}"
    )
    undeclared: set[str] = set()
    seen: set[str] = set()
    queue: list[GraphQLObjectType] = list(owned)
    while queue:
        current = queue.pop()
        if current.name in seen:
            continue
        seen.add(current.name)
        for name, field in current.fields.items():
            for target in _object_types(get_named_type(field.type)):
                if _is_wrapper(target) or _is_patient_owned(target) or _is_payload(target):
                    queue.append(target)
                elif not _is_clinic_content(target):
                    undeclared.add(f"{current.name}.{name} -> {target.name}")
    assert not undeclared, "patient data without a declared need:\n" + "\n".join(sorted(undeclared))


def test_every_resolved_field_of_patient_data_names_its_need(settings: Settings) -> None:
    missing: list[str] = []
    for named in _schema_types(settings).values():
        if not isinstance(named, GraphQLObjectType) or not _is_patient_owned(named):
            continue
        definition = named.extensions["strawberry-definition"]
        for field in definition.fields:
            name = field.graphql_name or field.python_name
            if field.base_resolver is None or name == "id":  # the global id is not patient data
                continue
            if not isinstance(field.metadata.get(ACCESS_KEY), Need):
                missing.append(f"{named.name}.{name}")
    assert not missing, "resolved fields without requires(Need...): " + ", ".join(sorted(missing))
