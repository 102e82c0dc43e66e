"""Emergency ("break-glass") access: a clinician opens a record outside their reach, with a reason.

Who: therapists and admins. The record opens for `settings.emergency_access_minutes`; while it
is open the scope reads it like the care team does (api/access/relations.py), it never acts on
it (api/access/scope.py: EMERGENCY_DENIED, `require_to_act`), and every read is logged with
the access it happened under, so the patient sees the reason next to it (api/services/access_log).

- opening: open a record (once: opening again answers the open one), audited at HIGH severity
- alerts: who is told (admins urgently, the patient, live guardians), naming no patient
- closing: end one early (its clinician, or an admin)
- reading: by id, the viewer's open ones, the admins' review
- lookup: find a patient by exact family name and date of birth, budgeted and audited
- account_mark: `User.emergency_access_until`, kept right under concurrent changes
- reasons, views, clinicians, errors: the reason's rules, an access as shown, who may, codes

The names callers use are imported here.
"""

from api.services.emergency_access.clinicians import RequestFacts, require_clinician_or_admin
from api.services.emergency_access.closing import close_access
from api.services.emergency_access.errors import EmergencyAccessErrorCode, EmergencyAccessProblems
from api.services.emergency_access.lookup import PatientMatch, find_patients
from api.services.emergency_access.opening import Opened, open_access
from api.services.emergency_access.reading import open_for_viewer, readable, review_page
from api.services.emergency_access.reasons import checked_reason
from api.services.emergency_access.views import AccessStatus, AccessView, now

__all__ = [
    "AccessStatus",
    "AccessView",
    "EmergencyAccessErrorCode",
    "EmergencyAccessProblems",
    "Opened",
    "PatientMatch",
    "RequestFacts",
    "checked_reason",
    "close_access",
    "find_patients",
    "now",
    "open_access",
    "open_for_viewer",
    "readable",
    "require_clinician_or_admin",
    "review_page",
]
