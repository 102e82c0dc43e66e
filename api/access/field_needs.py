"""Field-level needs on the one type a caregiver reaches as a whole: `Patient`.

Every other patient-owned type is checked where its rows are read (loaders and services ask
the scope with the type's need), so its leaf fields stay plain: a permission wrapper on every
scalar of a long list costs far more than one check per list. `Patient` is different: anyone
who may reach a record gets the Patient object (a caregiver with only APPOINTMENTS_VIEW still
needs the name of whom they help), and its fields belong to different needs. A viewer without
a field's need gets null and FORBIDDEN at that path, and the rest of the query answers; the
same rule hides the clinic's confidential fields from an adolescent's guardian
(settings.guardian_confidential_fields). Two mechanisms, both deny by default:

- Plain fields stay plain (no wrapper): when a Patient is built for a viewer, `withhold` puts
  a Forbidden error in place of each value the viewer may not read, and GraphQL execution
  answers an error found as a field's value with null and that error at the field's path.
  Viewers who read the whole record pay one pass over the field list per patient.
- Fields with resolvers (relations, computed values) reach other records: each carries
  `PatientFieldNeed`, checked before its resolver runs (they are few, and resolve anyway).

`guard_fields` sets both up from the type's declarations, so a new field is covered by the
need it declares (or the type's). No check needs SQL: the scope is read before any Patient.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from strawberry.extensions.field_extension import (
    AsyncExtensionResolver,
    FieldExtension,
    SyncExtensionResolver,
)
from strawberry.types import Info
from strawberry.types.field import StrawberryField
from strawberry.types.private import is_private

from api.access.needs import ACCESS_KEY, TYPE_ACCESS_ATTRIBUTE, Need
from api.access.scope import AccessScope, forbidden_message
from api.errors import Forbidden

if TYPE_CHECKING:
    from api.context import Context

T = TypeVar("T")

CONFIDENTIAL_MESSAGE = (
    "This part of the record is confidential between the patient and their care team."
)
PLAIN_FIELDS_ATTRIBUTE = "__guarded_plain_fields__"


@dataclass(frozen=True, slots=True)
class GuardedField:
    python_name: str
    graphql_name: str
    need: Need


def refusal(scope: AccessScope | None, patient_id: int, field: str, need: Need) -> Forbidden | None:
    """Why this viewer may not read this field of this patient, or None."""
    if scope is None or not scope.can_read_patient(patient_id, need):
        return Forbidden(forbidden_message(need))
    if scope.hides_field(patient_id, field):
        return Forbidden(CONFIDENTIAL_MESSAGE)
    return None


class PatientFieldNeed(FieldExtension):
    """Null and FORBIDDEN for a resolved Patient field the viewer's access does not include."""

    def __init__(self, field_name: str, need: Need) -> None:
        self.field_name = field_name
        self.need = need

    def _check(self, source: Any, info: Info[Context, Any]) -> None:
        refused = refusal(info.context.current_scope(), int(source.id), self.field_name, self.need)
        if refused is not None:
            raise refused

    def resolve(
        self, next_: SyncExtensionResolver, source: Any, info: Info[Context, Any], **kwargs: Any
    ) -> Any:
        self._check(source, info)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: AsyncExtensionResolver, source: Any, info: Info[Context, Any], **kwargs: Any
    ) -> Any:
        self._check(source, info)
        result = next_(source, info, **kwargs)
        return await result if inspect.isawaitable(result) else result


def guard_fields(cls: type[T]) -> type[T]:
    """Applied above `@strawberry.type` on Patient: each field is guarded by its declared need
    (the field's `requires(...)`, else the type's `@patient_owned` need): resolved fields by
    `PatientFieldNeed`, plain ones by `withhold` when an object is built."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    type_need: Need = getattr(cls, TYPE_ACCESS_ATTRIBUTE)
    plain: list[GuardedField] = []
    for field in definition.fields:
        name = field.graphql_name or _camel(field.python_name)
        need = field.metadata.get(ACCESS_KEY, type_need)
        if name == "id" or need is Need.NAME or _is_private(field):
            continue
        if field.base_resolver is None:
            plain.append(GuardedField(field.python_name, name, need))
        elif not any(isinstance(extension, PatientFieldNeed) for extension in field.extensions):
            field.extensions.append(PatientFieldNeed(name, need))
    setattr(cls, PLAIN_FIELDS_ATTRIBUTE, tuple(plain))
    return cls


def withhold(scope: AccessScope | None, patient_id: int, record: T) -> T:
    """`record` with each plain field this viewer may not read replaced by its refusal."""
    if scope is not None and scope.reads_whole_record(patient_id):
        return record  # the common case, checked once rather than per field
    for field in getattr(type(record), PLAIN_FIELDS_ATTRIBUTE):
        refused = refusal(scope, patient_id, field.graphql_name, field.need)
        if refused is not None:
            setattr(record, field.python_name, refused)
    return record


def guarded_field_names(cls: type) -> frozenset[str]:
    """The GraphQL names of the fields `guard_fields` guards on `cls`, either way."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    resolved = {
        extension.field_name
        for field in definition.fields
        for extension in field.extensions
        if isinstance(extension, PatientFieldNeed)
    }
    plain = {field.graphql_name for field in getattr(cls, PLAIN_FIELDS_ATTRIBUTE)}
    return frozenset(resolved | plain)


def _is_private(field: StrawberryField) -> bool:
    """A `strawberry.Private` attribute: data the resolvers use, never a field of the type."""
    annotation = field.type_annotation
    raw = annotation.raw_annotation if annotation is not None else None
    if isinstance(raw, str):  # postponed annotations (from __future__ import annotations)
        return raw.replace(" ", "").startswith(("strawberry.Private[", "Private["))
    return is_private(raw)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
