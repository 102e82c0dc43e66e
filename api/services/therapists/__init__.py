"""The therapist directory (profiles, locations, search) and patients' care teams."""

from __future__ import annotations

from api.services.therapists import care_team, directory, locations, profiles, vocabulary
from api.services.therapists.problems import Problem, TherapistErrorCode, TherapistProblems

__all__ = [
    "Problem",
    "TherapistErrorCode",
    "TherapistProblems",
    "care_team",
    "directory",
    "locations",
    "profiles",
    "vocabulary",
]
