"""Keeping the directory up to date: a therapist's own profile, and admins adding therapists.

A profile change is checked as a whole (every problem reported, with its field) and then
written in one transaction: the row, the lists it replaces, and an audit event (no free text
in it, only which fields changed).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from tortoise.exceptions import IntegrityError

from api.access.scope import AccessScope
from api.errors import Forbidden, NotFound
from api.loaders.therapists import TherapistRecord, therapists_by
from api.models.accounts import Role, User, UserRole
from api.models.therapists import (
    Discipline,
    Location,
    Specialty,
    Therapist,
    TherapistLanguage,
    TherapistLocation,
    TherapistSpecialty,
)
from api.realtime.events import transaction
from api.services import audit
from api.services.therapists.directory import can_see
from api.services.therapists.problems import Problems, TherapistErrorCode, fail
from api.services.therapists.vocabulary import normalise_language

MAX_CREDENTIALS = 80
MAX_BIO = 4000
MAX_LANGUAGES = 12
MAX_LOCATIONS = 12

Code = TherapistErrorCode


@dataclass(frozen=True, slots=True)
class ProfileChanges:
    """What to change; None leaves a part as it is. A list given replaces the whole list.

    In `location_ids`, None stands for an id that is not a Location's (reported by position).
    """

    credentials: str | None = None
    bio: str | None = None
    telehealth: bool | None = None
    accepting_new_patients: bool | None = None
    listed: bool | None = None
    specialties: Sequence[Specialty] | None = None
    languages: Sequence[str] | None = None
    location_ids: Sequence[int | None] | None = None


@dataclass(slots=True)
class _Checked:
    columns: dict[str, Any] = field(default_factory=dict)
    specialties: list[Specialty] | None = None
    languages: list[str] | None = None
    location_ids: list[int] | None = None


def _control_characters(text: str, allowed: str = "") -> bool:
    return any(ord(char) < 32 and char not in allowed for char in text)


def _check_text(problems: Problems, value: str, name: str, maximum: int, allowed: str = "") -> str:
    cleaned = value.strip()
    if len(cleaned) > maximum:
        problems.add(Code.TOO_LONG, f"Use at most {maximum} characters.", name)
    if _control_characters(cleaned, allowed):
        problems.add(Code.INVALID_TEXT, "Remove the control characters.", name)
    return cleaned


def _unique(problems: Problems, values: Sequence[Any], name: str, what: str) -> None:
    seen: set[Any] = set()
    for index, value in enumerate(values):
        if value is None:  # not a valid entry, reported on its own
            continue
        if value in seen:
            problems.add(Code.DUPLICATE, f"This {what} is listed twice.", f"{name}.{index}")
        seen.add(value)


def _check_languages(problems: Problems, languages: Sequence[str]) -> list[str]:
    if len(languages) > MAX_LANGUAGES:
        problems.add(Code.TOO_MANY, f"List at most {MAX_LANGUAGES} languages.", "languages")
    tags: list[str | None] = []
    for index, raw in enumerate(languages):
        tag = normalise_language(raw)
        if tag is None:
            problems.add(
                Code.INVALID_LANGUAGE,
                "Give a language tag such as en, es or pt-BR.",
                f"languages.{index}",
            )
        tags.append(tag)
    _unique(problems, tags, "languages", "language")
    return [tag for tag in tags if tag is not None]


async def _check_locations(problems: Problems, location_ids: Sequence[int | None]) -> list[int]:
    if len(location_ids) > MAX_LOCATIONS:
        problems.add(Code.TOO_MANY, f"List at most {MAX_LOCATIONS} locations.", "locationIds")
    given = [key for key in location_ids if key is not None]
    rows = await Location.filter(id__in=given).values("id") if given else []
    known = {int(row["id"]) for row in rows}
    for index, key in enumerate(location_ids):
        where = f"locationIds.{index}"
        if key is None:
            problems.add(Code.INVALID_ID, "This is not the id of a location.", where)
        elif key not in known:
            problems.add(Code.UNKNOWN_LOCATION, "There is no location with this id.", where)
    _unique(problems, location_ids, "locationIds", "location")
    return given


async def _check(problems: Problems, changes: ProfileChanges) -> _Checked:
    checked = _Checked()
    if changes.credentials is not None:
        checked.columns["credentials"] = _check_text(
            problems, changes.credentials, "credentials", MAX_CREDENTIALS
        )
    if changes.bio is not None:
        checked.columns["bio"] = _check_text(problems, changes.bio, "bio", MAX_BIO, "\n\t\r")
    for column in ("telehealth", "accepting_new_patients", "listed"):
        value = getattr(changes, column)
        if value is not None:
            checked.columns[column] = value
    if changes.specialties is not None:
        checked.specialties = list(changes.specialties)
        _unique(problems, checked.specialties, "specialties", "specialty")
    if changes.languages is not None:
        checked.languages = _check_languages(problems, changes.languages)
    if changes.location_ids is not None:
        checked.location_ids = await _check_locations(problems, changes.location_ids)
    return checked


async def _replace_lists(therapist_id: int, checked: _Checked) -> None:
    if checked.specialties is not None:
        await TherapistSpecialty.filter(therapist_id=therapist_id).delete()
        await TherapistSpecialty.bulk_create(
            [
                TherapistSpecialty(therapist_id=therapist_id, specialty=s)
                for s in checked.specialties
            ],
        )
    if checked.languages is not None:
        await TherapistLanguage.filter(therapist_id=therapist_id).delete()
        await TherapistLanguage.bulk_create(
            [TherapistLanguage(therapist_id=therapist_id, language=t) for t in checked.languages]
        )
    if checked.location_ids is not None:
        await TherapistLocation.filter(therapist_id=therapist_id).delete()
        await TherapistLocation.bulk_create(
            [
                TherapistLocation(therapist_id=therapist_id, location_id=k)
                for k in checked.location_ids
            ],
        )


def _changed_parts(checked: _Checked) -> int:
    lists = (checked.specialties, checked.languages, checked.location_ids)
    return len(checked.columns) + sum(1 for part in lists if part is not None)


async def _reload(therapist_id: int) -> TherapistRecord:
    return (await therapists_by(id=therapist_id))[0]


async def update_profile(
    scope: AccessScope, ctx: audit.AuditContext, therapist_id: int, changes: ProfileChanges
) -> TherapistRecord:
    """The therapist themself or an admin; others cannot (and cannot see unlisted entries)."""
    scope.require_authenticated()
    found = await therapists_by(id=therapist_id)
    if not found or not can_see(scope, found[0]):
        raise NotFound("No such therapist.")
    if not (scope.is_admin or scope.viewer.user_id == found[0].user_id):
        raise Forbidden("Only the therapist themself or an admin can change this profile.")
    problems = Problems()
    checked = await _check(problems, changes)
    problems.raise_if_any()
    async with transaction():
        if checked.columns:
            await Therapist.filter(id=therapist_id).update(**checked.columns)
        await _replace_lists(therapist_id, checked)
        await audit.record(
            ctx,
            "therapist.profile_updated",
            target_type="Therapist",
            target_id=str(therapist_id),
            details={"parts": _changed_parts(checked)},
        )
    return await _reload(therapist_id)


async def create_therapist(
    scope: AccessScope,
    ctx: audit.AuditContext,
    user_id: int | None,
    discipline: Discipline,
    changes: ProfileChanges,
) -> TherapistRecord:
    """An admin gives an existing user who holds the THERAPIST role a directory entry."""
    scope.require_role(Role.ADMIN)
    problems = Problems()
    if user_id is None:
        problems.add(Code.INVALID_ID, "This is not the id of a user.", "userId")
    elif not await User.filter(id=user_id).exists():
        problems.add(Code.UNKNOWN_USER, "There is no user with this id.", "userId")
    elif not await UserRole.filter(user_id=user_id, role=Role.THERAPIST).exists():
        problems.add(Code.NOT_A_THERAPIST, "Give this user the THERAPIST role first.", "userId")
    elif await Therapist.filter(user_id=user_id).exists():
        problems.add(Code.ALREADY_A_THERAPIST, "This user is in the directory already.", "userId")
    checked = await _check(problems, changes)
    problems.raise_if_any()
    assert user_id is not None  # no problem was found with it
    try:
        async with transaction():
            therapist = await Therapist.create(
                user_id=user_id, discipline=discipline, **checked.columns
            )
            await _replace_lists(therapist.id, checked)
            await audit.record(
                ctx,
                "therapist.created",
                target_type="Therapist",
                target_id=str(therapist.id),
                details={"userId": user_id},
            )
    except IntegrityError:  # another admin added the same user a moment ago
        raise fail(
            Code.ALREADY_A_THERAPIST, "This user is in the directory already.", "userId"
        ) from None
    return await _reload(therapist.id)
