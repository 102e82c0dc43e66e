"""The patient record: who may edit which section, checks, history, and the periodic review.

- `commands`: the typed shape of each section as an edit brings it.
- `validation` and `sections`: every field checked (all problems at once, each naming its path),
  then turned into the values stored on the patient row.
- `profile`: creating a record, editing one section at a time (with history and audit).
- `review`: the "please review your profile" cycle and its notification job.
"""
