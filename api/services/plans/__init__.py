"""Treatment plans: writing plans, phases and prescriptions (each change a revision the patient
can read), activating and completing them, and the patient's log of home sessions.

Modules: `commands` (what callers ask), `validation` (every input problem at once),
`prescribing` (exercise, variant and dosage of a prescription), `revisions` (the record of a
change, its notification and audit), `lifecycle` (create, edit details, activate, complete),
`editing` (phases and prescriptions), `adherence` (logging sessions), `reading` (who sees what).
"""
