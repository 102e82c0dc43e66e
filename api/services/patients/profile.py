"""Creating a patient's record and editing it one section at a time.

Who may edit what: the patient every section; a caregiver acting for them with PROFILE_EDIT
the patient's sections they can read (insurance only with INSURANCE_VIEW too, and not the
fields kept confidential from an adolescent's guardian), the change recorded as theirs in the
capacity CAREGIVER; the care team the clinical ones (health history, current condition, goals);
admins (clinic support) demographics and insurance. A record out of the viewer's reach is not
found; a section they may not edit is forbidden.

Each edit that changes something writes, in one transaction: the section, one history row
(who, in which capacity, when, the section before and after), and one audit-chain event that
names the section only (never a value the patient typed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from api.access.needs import Need
from api.access.scope import AccessScope
from api.errors import Forbidden, NotFound
from api.models.accounts import User
from api.models.patients import Patient, PatientProfileChange, ProfileSection
from api.realtime.events import transaction
from api.services import audit
from api.services.patients import sections
from api.services.patients.commands import SectionEdit
from api.services.patients.errors import PatientProblems
from api.services.patients.review import add_months
from api.services.patients.validation import Checks, latest_today

PATIENT_SECTIONS = frozenset(ProfileSection)
CARE_TEAM_SECTIONS = frozenset(
    {ProfileSection.HEALTH_HISTORY, ProfileSection.CURRENT_CONDITION, ProfileSection.GOALS}
)
ADMIN_SECTIONS = frozenset({ProfileSection.DEMOGRAPHICS, ProfileSection.INSURANCE})
# Words that belong to the family name when they come before it: "Ludwig van Beethoven".
_SURNAME_PARTICLES = frozenset(
    {"van", "von", "der", "den", "de", "del", "della", "di", "da", "dos", "das", "du", "la", "le"}
)
NAME_LENGTH = 100


@dataclass(frozen=True, slots=True)
class PersonName:
    given: str
    family: str


def split_name(display_name: str) -> PersonName:
    """A first guess the patient corrects in their profile: the last word (with the particles
    before it) is the family name, the rest the given name; one word is a given name only."""
    words = display_name.split()
    if len(words) < 2:
        return PersonName(given=" ".join(words)[:NAME_LENGTH], family="")
    start = len(words) - 1
    while start > 1 and words[start - 1].lower() in _SURNAME_PARTICLES:
        start -= 1
    return PersonName(
        given=" ".join(words[:start])[:NAME_LENGTH], family=" ".join(words[start:])[:NAME_LENGTH]
    )


async def create_record(user: User, *, review_months: int) -> Patient:
    """The patient record of a newly registered patient (call inside the caller's transaction)."""
    name = split_name(user.display_name)
    now = datetime.now(UTC)
    return await Patient.create(
        user=user,
        given_name=name.given,
        family_name=name.family,
        date_of_birth=user.date_of_birth,
        phone=user.phone,
        time_zone=user.time_zone,
        profile_review_due_at=add_months(now, review_months),
    )


# The fields of Patient that show each section (what an adolescent's guardian may not see of
# a section, they do not edit either).
_SECTION_FIELDS: dict[ProfileSection, tuple[str, ...]] = {
    ProfileSection.DEMOGRAPHICS: (
        "givenName",
        "familyName",
        "preferredName",
        "pronouns",
        "dateOfBirth",
        "phone",
        "address",
        "timeZone",
        "preferredLanguage",
    ),
    ProfileSection.HEALTH_HISTORY: ("healthHistory",),
    ProfileSection.CURRENT_CONDITION: ("currentCondition",),
    ProfileSection.GOALS: ("treatmentGoals",),
    ProfileSection.PREFERENCES: ("preferences",),
    ProfileSection.COMMUNICATION: ("communication",),
    ProfileSection.EMERGENCY_CONTACTS: ("emergencyContacts",),
    ProfileSection.INSURANCE: ("insurance",),
    ProfileSection.REVIEW: ("profileReviewedAt", "profileReviewDueAt"),
}


def _caregiver_sections(scope: AccessScope, patient_id: int) -> frozenset[ProfileSection]:
    """A caregiver with PROFILE_EDIT edits the patient's sections they may read: insurance
    only with INSURANCE_VIEW as well, and nothing kept confidential from a guardian."""
    if scope.grant_for(patient_id) is None or not scope.can_read_patient(
        patient_id, Need.PROFILE_EDIT
    ):
        return frozenset()
    insurance = scope.can_read_patient(patient_id, Need.INSURANCE_VIEW)
    return frozenset(
        section
        for section in PATIENT_SECTIONS
        if (insurance or section is not ProfileSection.INSURANCE)
        and not any(scope.hides_field(patient_id, name) for name in _SECTION_FIELDS[section])
    )


def editable_sections(scope: AccessScope, patient_id: int) -> frozenset[ProfileSection]:
    """The sections this viewer may edit on this record (a viewer may act in several ways)."""
    allowed: set[ProfileSection] = set()
    if scope.is_own_record(patient_id):
        allowed |= PATIENT_SECTIONS
    allowed |= _caregiver_sections(scope, patient_id)
    if scope.is_care_team(patient_id):
        allowed |= CARE_TEAM_SECTIONS
    if scope.is_admin:
        allowed |= ADMIN_SECTIONS
    return frozenset(allowed)


def require_editor(scope: AccessScope, patient_id: int, section: ProfileSection) -> None:
    scope.require_patient(patient_id, Need.PROFILE_EDIT)
    if section not in editable_sections(scope, patient_id):
        raise Forbidden("You cannot change this part of the patient's profile.")


async def locked_patient(patient_id: int) -> Patient:
    """The row, locked until the transaction ends, so concurrent edits keep a true history."""
    patient = await Patient.filter(id=patient_id).select_for_update().first()
    if patient is None:
        raise NotFound("No such patient.")
    return patient


async def update_section(
    scope: AccessScope,
    ctx: audit.AuditContext,
    patient_id: int,
    edit: SectionEdit,
) -> bool:
    """Replace one section of the record; False when it held these values already."""
    section = sections.section_of(edit)
    require_editor(scope, patient_id, section)
    checks = Checks(latest_today())
    columns = sections.columns_for(edit, checks)
    PatientProblems.raise_if_any(checks.problems)
    async with transaction():
        patient = await locked_patient(patient_id)
        _keep_date_of_birth(scope, patient, columns)
        return await apply(scope, ctx, patient, section, columns)


DATE_OF_BIRTH_MESSAGE = (
    "Only the patient, or the clinic, can change the date of birth: ask the clinic to correct it."
)


def _keep_date_of_birth(scope: AccessScope, patient: Patient, columns: dict[str, object]) -> None:
    """Someone editing through a caregiver's grant sends the date of birth as it is.

    It decides what a guardian's grant shows and when it ends (api/access/grant_terms: an
    unknown date reads as a child's, so clearing it would show a teenager's confidential
    fields and keep the grant past adulthood), and it is what an invitee proves they know."""
    if "date_of_birth" not in columns or columns["date_of_birth"] == patient.date_of_birth:
        return
    if scope.is_own_record(patient.id) or scope.is_admin:
        return
    raise Forbidden(DATE_OF_BIRTH_MESSAGE)


async def apply(
    scope: AccessScope,
    ctx: audit.AuditContext,
    patient: Patient,
    section: ProfileSection,
    columns: dict[str, object],
) -> bool:
    """Set the columns of a locked row; history and audit when anything changed."""
    before = sections.snapshot(section, patient)
    for column, value in columns.items():
        setattr(patient, column, value)
    after = sections.snapshot(section, patient)
    changed = sections.changed_fields(before, after)
    if not changed:
        return False
    await patient.save(update_fields=[*columns, "updated_at"])
    await PatientProfileChange.create(
        patient_id=patient.id,
        changed_by_id=scope.viewer.user_id,
        changed_by_role=scope.actor_role(patient.id).value,
        changed_at=datetime.now(UTC),
        section=section,
        changed_fields=changed,
        before=before,
        after=after,
    )
    await audit.record(
        ctx,
        "patient.profile_updated",
        target_type="Patient",
        target_id=str(patient.id),
        details={"section": section.value, "fields": len(changed)},
    )
    return True


async def confirm_review(
    scope: AccessScope, ctx: audit.AuditContext, patient_id: int, *, review_months: int
) -> None:
    """The patient says their profile is up to date: the next review is due in N months."""
    require_editor(scope, patient_id, ProfileSection.REVIEW)
    now = datetime.now(UTC)
    async with transaction():
        patient = await locked_patient(patient_id)
        columns: dict[str, object] = {
            "profile_reviewed_at": now,
            "profile_review_due_at": add_months(now, review_months),
            "profile_review_notified_at": None,  # the next due date gets its own notification
        }
        await apply(scope, ctx, patient, ProfileSection.REVIEW, columns)
