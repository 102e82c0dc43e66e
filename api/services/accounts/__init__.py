"""The accounts domain: who can sign in, how, and how they keep their account safe.

One module per concern; callers import the package (`from api.services import accounts`).
"""

from api.services.accounts.users import EmailTaken, create_user, list_users, normalise_email

__all__ = ["EmailTaken", "create_user", "list_users", "normalise_email"]
