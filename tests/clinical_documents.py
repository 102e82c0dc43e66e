"""The documents the patient dashboard and the therapist caseload send, shared by the
statement-budget tests and the benchmarks so both measure the same thing."""

from __future__ import annotations

DASHBOARD = """
query Dashboard {
  myPatient {
    id givenName familyName preferredName timeZone profileReviewDueAt
    currentCondition { painLevel symptoms }
    careTeam { role since therapist { id name credentials discipline } }
    activePlan {
      id title condition status startsOn currentWeek revision
      currentPhase { id name }
      phases {
        id name startWeek endWeek focus
        prescriptions {
          id level notes sessionsPerWeek
          dosage { sets reps holdSeconds durationSeconds timesPerDay daysPerWeek }
          exercise { id name bodyRegion instructions equipment cautions videoUrl imageUrls }
        }
      }
      thisWeekAdherence { week startsOn endsOn prescribed done partial skipped logged rate }
    }
    recentPain { id value measuredAt recordedByRole }
  }
  unreadNotificationCount
}
"""

CASELOAD = """
query Caseload {
  caseload {
    id givenName familyName dateOfBirth
    latestPain { value measuredAt }
    adherenceThisWeek { week prescribed done partial rate }
    activePlan { id title status currentWeek }
  }
}
"""
