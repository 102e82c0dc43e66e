"""What the patient's age does to a caregiver's grant: the one rule, kept pure.

Each request's scope (api/access/relations.live_grant) and what the caregivers domain shows
(api/services/caregivers/liveness: a grant's status, a care recipient's confidential fields,
whether a reminder still goes) ask this module, so the two cannot drift apart.

- A PROXY the patient gave themselves (granted by the patient's own account) is theirs to
  keep: the patient's age does nothing to it.
- Any other grant (a guardian's, or a PROXY a guardian gave someone else, such as a
  grandparent) follows a guardian's rules: from `settings.adolescent_age` the clinic's
  confidential fields (`settings.guardian_confidential_fields`) are hidden, and at
  `settings.adult_age` it ends.
- An unknown date of birth counts as a child's: nothing ends and nothing is hidden (a
  dependent is always registered with one; a guardian cannot be locked out by a gap in the
  record).

Expiry and the stored status are not age rules: callers check them first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from api.models.caregivers import GrantKind
from api.settings import Settings


@dataclass(frozen=True, slots=True)
class GrantTerms:
    live: bool  # False: ended by the patient's adulthood
    confidential: tuple[str, ...]  # Patient fields hidden from the holder, in settings' order


NO_AGE_RULES = GrantTerms(live=True, confidential=())


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def given_by_patient(
    kind: GrantKind, granted_by_id: int | None, patient_user_id: int | None
) -> bool:
    """Whether the patient gave this grant themselves: a PROXY granted by their own account.

    A guardian's grant never is, whoever wrote it; a patient without an account (a dependent)
    has given nothing themselves."""
    return (
        GrantKind(kind) is GrantKind.PROXY
        and patient_user_id is not None
        and granted_by_id == patient_user_id
    )


def grant_terms(
    kind: GrantKind,
    patient_gave_it: bool,
    born: date | None,
    today: date,
    settings: Settings,
) -> GrantTerms:
    """The age terms of a grant of `kind` today (`patient_gave_it`: see `given_by_patient`)."""
    if (patient_gave_it and GrantKind(kind) is GrantKind.PROXY) or born is None:
        return NO_AGE_RULES
    age = age_on(born, today)
    hidden = tuple(settings.guardian_confidential_fields) if age >= settings.adolescent_age else ()
    return GrantTerms(live=age < settings.adult_age, confidential=hidden)
