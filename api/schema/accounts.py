"""Accounts as the API shows them: the signed-in user, sign-in results, security records.

Who may read what: a `User` is readable by its owner and by admins (row-level, in
`resolve_nodes` and the resolvers that return one). Its security history (login history,
sessions, remembered devices) is readable by its owner only.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Annotated

import strawberry
from strawberry import relay

from api.access import scope as access
from api.context import Info
from api.errors import Forbidden
from api.models import accounts as models
from api.schema.errors import UserError, errors_from
from api.schema.relay import connection_from_page, database_keys, global_id
from api.services.accounts import errors as account_errors
from api.services.accounts import history

Role = strawberry.enum(
    models.Role, description="What a user may act as; one user may hold several."
)
ClientKind = strawberry.enum(
    models.ClientKind,
    description="WEB keeps the session in an HttpOnly cookie; MOBILE gets a bearer token.",
)
SignInState = strawberry.enum(access.SignInState, description="How far the viewer has signed in.")
SignInFailure = strawberry.enum(models.SignInFailure, description="Why a sign-in attempt failed.")
AccountErrorCode = strawberry.enum(
    account_errors.AccountErrorCode, description="Stable codes of account operations' errors."
)


@strawberry.type(description="One problem with an account operation, with the field it is about.")
class AccountError(UserError):
    code: AccountErrorCode  # type: ignore[valid-type]


@strawberry.type(description="An account operation did not happen; every problem is listed.")
class AccountErrors:
    errors: list[AccountError]

    @classmethod
    def from_problems(cls, problems: account_errors.AccountProblems) -> AccountErrors:
        return cls(errors=errors_from(AccountError, problems))


def _owner_only(user_id: int, viewer_id: int | None) -> None:
    if viewer_id != user_id:
        raise Forbidden("Only the account's owner can see this.")


@strawberry.type(description="A sign-in attempt, as the account's owner sees it in login history.")
class LoginAttempt(relay.Node):
    id: relay.NodeID[int]
    occurred_at: datetime
    ip: str
    device: str
    succeeded: bool
    failure_reason: SignInFailure | None  # type: ignore[valid-type]
    new_device: bool = strawberry.field(description="First sign-in from this device.")

    @classmethod
    def from_model(cls, attempt: models.LoginAttempt) -> LoginAttempt:
        return cls(
            id=attempt.id,
            occurred_at=attempt.occurred_at,
            ip=attempt.ip,
            device=attempt.device_label,
            succeeded=attempt.succeeded,
            failure_reason=attempt.failure_reason,
            new_device=attempt.new_device,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[LoginAttempt | None]:
        scope = await info.context.scope()
        if not scope.viewer.is_authenticated or scope.viewer.user_id is None:
            return [None for _ in node_ids]
        keys = database_keys(node_ids)
        rows = await history.attempts_by_ids(scope.viewer.user_id, [k for k in keys if k])
        return [cls.from_model(rows[key]) if key in rows else None for key in keys]


@strawberry.type(description="A signed-in browser or app. Only its owner sees it.")
class AccountSession(relay.Node):
    id: relay.NodeID[int]
    client: ClientKind  # type: ignore[valid-type]
    device: str
    ip: str
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    current: bool = strawberry.field(description="The session making this request.")

    @classmethod
    def from_model(cls, session: models.Session, current_id: int | None) -> AccountSession:
        return cls(
            id=session.id,
            client=session.client,
            device=session.device_label,
            ip=session.ip,
            created_at=session.created_at,
            last_seen_at=session.last_seen_at,
            expires_at=session.expires_at,
            current=session.id == current_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[AccountSession | None]:
        scope = await info.context.scope()
        user_id = scope.viewer.user_id if scope.viewer.is_authenticated else None
        keys = list(database_keys(node_ids))
        live = (
            {}
            if user_id is None
            else {s.id: s for s in await history.live_sessions(info.context.settings, user_id)}
        )
        return [
            cls.from_model(live[key], scope.viewer.session_id) if key in live else None
            for key in keys
        ]


@strawberry.type(description="A device that skips the two-factor code for 30 days.")
class RememberedDevice:
    id: strawberry.ID
    device: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime


@strawberry.type(description="A person who can sign in. Readable by that person and by admins.")
class User(relay.Node):
    id: relay.NodeID[int]
    email: str
    display_name: str
    is_active: bool
    created_at: datetime
    date_of_birth: date | None
    phone: str
    time_zone: str = strawberry.field(description="IANA zone, e.g. America/New_York.")
    email_verified: bool
    two_factor_enabled: bool
    deactivated_at: datetime | None

    @strawberry.field(description="The roles this account holds.")
    async def roles(self, info: Info) -> list[Role]:  # type: ignore[valid-type]
        roles: list[models.Role] = await info.context.loaders.roles_by_user_id.load(self.id)
        return roles

    @strawberry.field(description="Every sign-in attempt, newest first. Owner only.")
    async def login_history(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> relay.Connection[LoginAttempt]:
        scope = await info.context.scope()
        _owner_only(self.id, scope.viewer.user_id)
        page = await history.login_history(
            self.id, first=first, after=after, max_page_size=info.context.settings.max_page_size
        )
        return connection_from_page(page, LoginAttempt.from_model)

    @strawberry.field(description="Signed-in browsers and apps, most recent first. Owner only.")
    async def sessions(self, info: Info) -> list[AccountSession]:
        scope = await info.context.scope()
        _owner_only(self.id, scope.viewer.user_id)
        live = await history.live_sessions(info.context.settings, self.id)
        return [AccountSession.from_model(s, scope.viewer.session_id) for s in live]

    @strawberry.field(description="Devices that skip the two-factor code. Owner only.")
    async def remembered_devices(self, info: Info) -> list[RememberedDevice]:
        scope = await info.context.scope()
        _owner_only(self.id, scope.viewer.user_id)
        return [
            RememberedDevice(
                id=global_id("RememberedDevice", device.id),
                device=device.device_label,
                created_at=device.created_at,
                last_used_at=device.last_used_at,
                expires_at=device.expires_at,
            )
            for device in await history.remembered_devices(self.id)
        ]

    @classmethod
    def from_model(cls, user: models.User) -> User:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            is_active=user.is_active,
            created_at=user.created_at,
            date_of_birth=user.date_of_birth,
            phone=user.phone,
            time_zone=user.time_zone,
            email_verified=user.email_verified_at is not None,
            two_factor_enabled=user.totp_confirmed_at is not None,
            deactivated_at=user.deactivated_at,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[User | None]:
        scope = await info.context.scope()
        # Ids the viewer may not read are dropped before any SQL: they answer null, like ids
        # that do not exist.
        keys = [
            key if key is not None and scope.can_read_user(key) else None
            for key in database_keys(node_ids)
        ]
        found = await info.context.loaders.user_by_id.load_many([k for k in keys if k is not None])
        users = iter(found)
        results: list[User | None] = []
        for key in keys:
            user: models.User | None = next(users) if key is not None else None
            results.append(cls.from_model(user) if user is not None else None)
        return results


# --- inputs ---------------------------------------------------------------------------------


@strawberry.input(description="What a patient gives to register.")
class RegisterInput:
    email: str
    password: str = strawberry.field(description="12 to 128 characters; any characters.")
    name: str
    date_of_birth: date
    phone: str = strawberry.field(description="With the country code, e.g. +1 555 010 0199.")
    time_zone: str = strawberry.field(description="IANA zone, e.g. America/New_York.")


@strawberry.input
class SignInInput:
    email: str
    password: str
    client: ClientKind = models.ClientKind.WEB  # type: ignore[valid-type]
    remembered_device_token: str | None = strawberry.field(
        default=None, description="MOBILE only: the token verifySecondFactor gave to remember it."
    )


@strawberry.input
class SecondFactorInput:
    code: str = strawberry.field(description="Six digits from the app, or a recovery code.")
    remember_device: bool = strawberry.field(
        default=False, description="Skip the code on this device for 30 days."
    )


@strawberry.input(description="Proof it is you, asked before security changes.")
class ReauthenticationInput:
    current_password: str
    code: str | None = strawberry.field(
        default=None, description="Required when two-factor sign-in is on."
    )


@strawberry.input
class ResetPasswordInput:
    token: str
    new_password: str


@strawberry.input
class ChangePasswordInput:
    current_password: str
    code: str | None = None
    new_password: str


@strawberry.input
class ChangeEmailInput:
    current_password: str
    code: str | None = None
    new_email: str


@strawberry.input(description="An admin creates a staff account; the person sets a password.")
class CreateStaffUserInput:
    email: str
    name: str
    roles: list[Role]  # type: ignore[valid-type]


# --- payloads -------------------------------------------------------------------------------


@strawberry.type(description="How a candidate password fares against the portal's rules.")
class PasswordStrength:
    acceptable: bool
    score: int = strawberry.field(description="0 (guessable) to 4 (very strong); 3 is needed.")
    problem: str | None
    suggestions: list[str]


@strawberry.type(description="The request was taken; the message says what happens next.")
class Accepted:
    message: str


@strawberry.type
class SignInPayload:
    state: SignInState  # type: ignore[valid-type]
    user: User | None = strawberry.field(description="Null until the second factor is passed.")
    session_token: str | None = strawberry.field(
        default=None, description="MOBILE only: send it as `Authorization: Bearer <token>`."
    )
    remembered_device_token: str | None = strawberry.field(
        default=None, description="MOBILE only, after rememberDevice: give it to signIn later."
    )


@strawberry.type
class SignOutPayload:
    signed_out: bool


@strawberry.type(description="The secret to add to an authenticator app, as text and QR code.")
class TotpEnrollment:
    secret: str
    otpauth_uri: str
    qr_svg: str = strawberry.field(description="An SVG image of the otpauth URI.")


@strawberry.type(description="Ten single-use recovery codes. Shown once: store them safely.")
class RecoveryCodes:
    recovery_codes: list[str]


@strawberry.type
class SessionsEnded:
    sessions_ended: int


@strawberry.type
class UserPayload:
    user: User


RegisterResult = Annotated[Accepted | AccountErrors, strawberry.union("RegisterResult")]
VerifyEmailResult = Annotated[UserPayload | AccountErrors, strawberry.union("VerifyEmailResult")]
SignInResult = Annotated[SignInPayload | AccountErrors, strawberry.union("SignInResult")]
AcceptedResult = Annotated[Accepted | AccountErrors, strawberry.union("AcceptedResult")]
SessionsEndedResult = Annotated[
    SessionsEnded | AccountErrors, strawberry.union("SessionsEndedResult")
]
TotpEnrollmentResult = Annotated[
    TotpEnrollment | AccountErrors, strawberry.union("TotpEnrollmentResult")
]
RecoveryCodesResult = Annotated[
    RecoveryCodes | AccountErrors, strawberry.union("RecoveryCodesResult")
]
UserResult = Annotated[UserPayload | AccountErrors, strawberry.union("UserResult")]
