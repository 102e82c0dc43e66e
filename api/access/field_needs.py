"""Field-level needs on the one type a caregiver reaches as a whole: `Patient`.

Every other patient-owned type is checked where its rows are read (loaders and services ask
the scope with the type's need), so its leaf fields stay plain: a permission wrapper on every
scalar of a long list costs far more than one check per list. `Patient` is different: anyone
who may reach a record gets the Patient object (a caregiver with only APPOINTMENTS_VIEW still
needs the name of whom they help), and its fields belong to different needs. So each of its
fields, apart from the id and the name (Need.NAME), is guarded here, once per patient per
field: a viewer without the need gets null and FORBIDDEN at that path, and the rest of the
query answers. The same guard hides the clinic's confidential fields from the guardian of an
adolescent (settings.guardian_confidential_fields).

The check needs no SQL: the request's scope is already read (a Patient only exists after it).
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, TypeVar

from strawberry.extensions.field_extension import (
    AsyncExtensionResolver,
    FieldExtension,
    SyncExtensionResolver,
)
from strawberry.types import Info

from api.access.needs import ACCESS_KEY, TYPE_ACCESS_ATTRIBUTE, Need
from api.access.scope import forbidden_message
from api.errors import Forbidden

if TYPE_CHECKING:
    from api.context import Context

T = TypeVar("T")

CONFIDENTIAL_MESSAGE = (
    "This part of the record is confidential between the patient and their care team."
)


class PatientFieldNeed(FieldExtension):
    """Null and FORBIDDEN for a Patient field the viewer's access does not include."""

    def __init__(self, field_name: str, need: Need) -> None:
        self.field_name = field_name
        self.need = need

    def _check(self, source: Any, info: Info[Context, Any]) -> None:
        scope = info.context.current_scope()
        patient_id = int(source.id)
        if scope is None or not scope.can_read_patient(patient_id, self.need):
            raise Forbidden(forbidden_message(self.need))
        if scope.hides_field(patient_id, self.field_name):
            raise Forbidden(CONFIDENTIAL_MESSAGE)

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
    """Applied above `@strawberry.type` on Patient: guards each field by its declared need
    (the field's `requires(...)`, else the type's `@patient_owned` need)."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    type_need: Need = getattr(cls, TYPE_ACCESS_ATTRIBUTE)
    for field in definition.fields:
        name = field.graphql_name or _camel(field.python_name)
        need = field.metadata.get(ACCESS_KEY, type_need)
        if name == "id" or need is Need.NAME:
            continue
        if not any(isinstance(extension, PatientFieldNeed) for extension in field.extensions):
            field.extensions.append(PatientFieldNeed(name, need))
    return cls


def guarded_field_names(cls: type) -> frozenset[str]:
    """The GraphQL names of the fields `guard_fields` guards on `cls`."""
    definition = cls.__strawberry_definition__  # type: ignore[attr-defined]
    return frozenset(
        extension.field_name
        for field in definition.fields
        for extension in field.extensions
        if isinstance(extension, PatientFieldNeed)
    )


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
