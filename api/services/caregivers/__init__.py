"""Caregivers: the access a patient (or a guardian acting for them) gives other people.

- grants: what a grant looks like to the API (its shown status, who it is for), and the reads
- invitations: inviting by mail, the invitee's preview, accepting (date of birth) or declining
- managing: changing the scopes or expiry of a grant, and revoking it
- dependents: a guardian registers a minor without an account of their own
- liveness: whether a grant answers now (expiry, a guardian's grant ending at adulthood)
- notices: what each change tells the people concerned (notifications, live sockets, audit)

Nothing is imported here: api/services/scheduling/reminders.py reads `liveness`, and the
modules that plan reminders import scheduling, so each caller imports the module it needs.
"""
