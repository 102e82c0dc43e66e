"""The accounts domain's root fields: registration, sign-in, account security, staff admin.

Thin: parse input, spend the rate-limit budget, call a service, map its result. Expected
outcomes come back as `AccountErrors`; request-level ones (not signed in, rate limited) as
coded top-level errors.
"""

from __future__ import annotations

from datetime import timedelta

import strawberry
from strawberry import relay

from api.access.rate_limits import Budget
from api.access.scope import AccessScope, SignInState
from api.context import Info
from api.http.cookies import DEVICE_COOKIE, SESSION_COOKIE
from api.models import accounts as models
from api.models.accounts import ClientKind
from api.schema import accounts as types
from api.schema.relay import connection_from_page, database_key, parse_global_id
from api.services import accounts, audit, passwords
from api.services.accounts import password_reset, registration, security, sign_in
from api.services.accounts.errors import AccountErrorCode, AccountProblems, fail

CHECK_INBOX = "Check your inbox: we sent you a link to confirm your address."
RESET_SENT = (
    "If an account uses this address, we have sent it a link to choose a new password. "
    "The link works for 30 minutes."
)


def _audit_context(info: Info, scope: AccessScope) -> audit.AuditContext:
    return audit.AuditContext(
        actor_user_id=scope.viewer.user_id,
        ip=info.context.client.ip or None,
        session_id=scope.viewer.session_id,
    )


async def _signed_in_user(info: Info) -> tuple[models.User, audit.AuditContext]:
    scope = await info.context.scope()
    user_id = scope.require_authenticated()
    return await models.User.get(id=user_id), _audit_context(info, scope)


def _proof(input: types.ReauthenticationInput) -> security.Reauthentication:
    return security.Reauthentication(password=input.current_password, code=input.code)


def _session_cookie_seconds(info: Info) -> int:
    return int(timedelta(hours=info.context.settings.session_absolute_hours).total_seconds())


def _signed_in_payload(
    info: Info, result: sign_in.SignedIn, client: ClientKind, device_token: str | None = None
) -> types.SignInPayload:
    if client is ClientKind.WEB:
        info.context.set_cookie(SESSION_COOKIE, result.token, _session_cookie_seconds(info))
        if device_token:
            days = info.context.settings.remember_device_days
            info.context.set_cookie(DEVICE_COOKIE, device_token, days * 86400)
    info.context.forget_scope()
    state = sign_in_state_of(result)
    mobile = client is ClientKind.MOBILE
    return types.SignInPayload(
        state=state,
        user=None if result.needs_second_factor else types.User.from_model(result.user),
        session_token=result.token if mobile else None,
        remembered_device_token=device_token if mobile else None,
    )


def sign_in_state_of(result: sign_in.SignedIn) -> SignInState:
    if result.needs_second_factor:
        return SignInState.SECOND_FACTOR_REQUIRED
    if result.user.email_verified_at is None:
        return SignInState.EMAIL_UNVERIFIED
    return SignInState.SIGNED_IN


@strawberry.type
class AccountsQuery:
    @strawberry.field(description="The signed-in user (also while the address is unverified).")
    async def me(self, info: Info) -> types.User | None:
        scope = await info.context.scope()
        if scope.viewer.user_id is None or scope.viewer.state not in (
            SignInState.SIGNED_IN,
            SignInState.EMAIL_UNVERIFIED,
        ):
            return None
        user = await info.context.loaders.user_by_id.load(scope.viewer.user_id)
        return types.User.from_model(user) if user is not None else None

    @strawberry.field(description="How far this client has signed in.")
    async def sign_in_state(self, info: Info) -> types.SignInState:  # type: ignore[valid-type]
        scope = await info.context.scope()
        return scope.viewer.sign_in_state

    @strawberry.field(
        description="Scores a candidate password by the rules registration applies (for the "
        "strength meter). Nothing is stored or logged."
    )
    async def password_strength(
        self, info: Info, password: str, email: str | None = None, name: str | None = None
    ) -> types.PasswordStrength:
        await info.context.rate_limits.spend(Budget.PASSWORD_METER, info.context.client.ip)
        verdict = await passwords.check_password_off_loop(
            password, user_inputs=[value for value in (email, name) if value]
        )
        return types.PasswordStrength(
            acceptable=verdict.acceptable,
            score=verdict.score,
            problem=verdict.problem,
            suggestions=list(verdict.suggestions),
        )

    @strawberry.field(description="Every account, oldest first (admins only). At most 100 a page.")
    async def users(
        self, info: Info, first: int | None = None, after: str | None = None
    ) -> relay.Connection[types.User]:
        page = await accounts.list_users(
            await info.context.scope(),
            first=first,
            after=after,
            max_page_size=info.context.settings.max_page_size,
        )
        return connection_from_page(page, types.User.from_model)


@strawberry.type
class AccountsMutation:
    @strawberry.mutation(description="A patient creates an account; a link to verify is mailed.")
    async def register(self, info: Info, input: types.RegisterInput) -> types.RegisterResult:
        client = info.context.client
        await info.context.rate_limits.spend(Budget.REGISTRATION, client.ip)
        form = registration.Registration(
            email=input.email,
            password=input.password,
            name=input.name,
            date_of_birth=input.date_of_birth,
            phone=input.phone,
            time_zone=input.time_zone,
        )
        try:
            await registration.register(
                info.context.settings, form, audit.AuditContext(ip=client.ip or None)
            )
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return types.Accepted(message=CHECK_INBOX)

    @strawberry.mutation(description="Confirms an address with the token from the mailed link.")
    async def verify_email(self, info: Info, token: str) -> types.VerifyEmailResult:
        scope = await info.context.scope()
        try:
            user = await registration.verify_email(
                info.context.settings, token, _audit_context(info, scope)
            )
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        info.context.forget_scope()
        return types.UserPayload(user=types.User.from_model(user))

    @strawberry.mutation(description="Mails a new verification link to the signed-in user.")
    async def resend_verification_email(self, info: Info) -> types.AcceptedResult:
        scope = await info.context.scope()
        user_id, _ = scope.require_session(SignInState.EMAIL_UNVERIFIED)
        await info.context.rate_limits.spend(Budget.MAIL_REQUEST, info.context.client.ip)
        try:
            await registration.resend_verification(
                info.context.settings, user_id, _audit_context(info, scope)
            )
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return types.Accepted(message=CHECK_INBOX)

    @strawberry.mutation(description="Signs in with email and password (one per request).")
    async def sign_in(self, info: Info, input: types.SignInInput) -> types.SignInResult:
        client = info.context.client
        await info.context.rate_limits.spend(Budget.SIGN_IN, client.ip)
        device_token = input.remembered_device_token or info.context.read_cookie(DEVICE_COOKIE)
        try:
            result = await sign_in.sign_in(
                info.context.settings,
                input.email,
                input.password,
                input.client,
                client,
                device_token,
            )
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return _signed_in_payload(info, result, input.client)

    @strawberry.mutation(description="Finishes a sign-in with an authenticator or recovery code.")
    async def verify_second_factor(
        self, info: Info, input: types.SecondFactorInput
    ) -> types.SignInResult:
        scope = await info.context.scope()
        user_id, session_id = scope.require_session(SignInState.SECOND_FACTOR_REQUIRED)
        if scope.viewer.state is not SignInState.SECOND_FACTOR_REQUIRED:
            return types.AccountErrors.from_problems(
                fail(AccountErrorCode.ALREADY_VERIFIED, "This session is already signed in.")
            )
        await info.context.rate_limits.spend(Budget.SECOND_FACTOR, f"session:{session_id}")
        try:
            result, device_token = await sign_in.verify_second_factor(
                info.context.settings,
                user_id,
                session_id,
                input.code,
                input.remember_device,
                info.context.client,
            )
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return _signed_in_payload(info, result, result.session.client, device_token)

    @strawberry.mutation(description="Ends this session on the server.")
    async def sign_out(self, info: Info) -> types.SignOutPayload:
        scope = await info.context.scope()
        if scope.viewer.user_id is not None and scope.viewer.session_id is not None:
            await sign_in.sign_out(
                scope.viewer.user_id, scope.viewer.session_id, info.context.client.ip
            )
        info.context.clear_cookie(SESSION_COOKIE)
        info.context.forget_scope()
        return types.SignOutPayload(signed_out=True)

    @strawberry.mutation(
        description="Mails a link to choose a new password, if the address has an account."
    )
    async def request_password_reset(self, info: Info, email: str) -> types.Accepted:
        client = info.context.client
        await info.context.rate_limits.spend(Budget.MAIL_REQUEST, client.ip)
        await password_reset.request_reset(
            info.context.settings,
            info.context.rate_limits,
            email,
            audit.AuditContext(ip=client.ip or None),
        )
        return types.Accepted(message=RESET_SENT)

    @strawberry.mutation(
        description="Sets a new password with the mailed token; every session ends."
    )
    async def reset_password(
        self, info: Info, input: types.ResetPasswordInput
    ) -> types.AcceptedResult:
        ctx = audit.AuditContext(ip=info.context.client.ip or None)
        try:
            await password_reset.reset_password(
                info.context.settings, input.token, input.new_password, ctx
            )
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        info.context.clear_cookie(SESSION_COOKIE)
        return types.Accepted(message="Your password is changed. Sign in with it now.")

    @strawberry.mutation(description="Changes the password; other sessions end.")
    async def change_password(
        self, info: Info, input: types.ChangePasswordInput
    ) -> types.SessionsEndedResult:
        user, ctx = await _signed_in_user(info)
        proof = security.Reauthentication(password=input.current_password, code=input.code)
        try:
            ended = await security.change_password(
                info.context.settings, user, proof, input.new_password, ctx
            )
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return types.SessionsEnded(sessions_ended=ended)

    @strawberry.mutation(
        description="Mails a confirmation link to a new address; tells the old one."
    )
    async def change_email(self, info: Info, input: types.ChangeEmailInput) -> types.AcceptedResult:
        user, ctx = await _signed_in_user(info)
        proof = security.Reauthentication(password=input.current_password, code=input.code)
        try:
            await security.change_email(info.context.settings, user, proof, input.new_email, ctx)
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return types.Accepted(message="Check the new address's inbox for a confirmation link.")

    @strawberry.mutation(description="Starts two-factor set-up: the secret and its QR code.")
    async def start_totp_enrollment(
        self, info: Info, input: types.ReauthenticationInput
    ) -> types.TotpEnrollmentResult:
        user, ctx = await _signed_in_user(info)
        try:
            enrollment = await security.start_totp_enrollment(
                info.context.settings, user, _proof(input), ctx
            )
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return types.TotpEnrollment(
            secret=enrollment.secret, otpauth_uri=enrollment.otpauth_uri, qr_svg=enrollment.qr_svg
        )

    @strawberry.mutation(
        description="Turns two-factor on with a first code; returns recovery codes."
    )
    async def confirm_totp_enrollment(self, info: Info, code: str) -> types.RecoveryCodesResult:
        user, ctx = await _signed_in_user(info)
        try:
            codes = await security.confirm_totp_enrollment(info.context.settings, user, code, ctx)
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return types.RecoveryCodes(recovery_codes=codes)

    @strawberry.mutation(description="Turns two-factor off (password and a current code).")
    async def disable_totp(
        self, info: Info, input: types.ReauthenticationInput
    ) -> types.AcceptedResult:
        user, ctx = await _signed_in_user(info)
        try:
            await security.disable_totp(info.context.settings, user, _proof(input), ctx)
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return types.Accepted(message="Two-factor sign-in is off.")

    @strawberry.mutation(description="A new set of ten recovery codes; the old set stops working.")
    async def regenerate_recovery_codes(
        self, info: Info, input: types.ReauthenticationInput
    ) -> types.RecoveryCodesResult:
        user, ctx = await _signed_in_user(info)
        try:
            codes = await security.regenerate_recovery_codes(
                info.context.settings, user, _proof(input), ctx
            )
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return types.RecoveryCodes(recovery_codes=codes)

    @strawberry.mutation(description="Ends one of your sessions.")
    async def revoke_session(self, info: Info, session_id: strawberry.ID) -> types.AcceptedResult:
        user, ctx = await _signed_in_user(info)
        key = database_key(
            parse_global_id(str(session_id), "sessionId"), "AccountSession", "sessionId"
        )
        try:
            await security.revoke_session(user, key, ctx)
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return types.Accepted(message="That session has ended.")

    @strawberry.mutation(description="Ends all your sessions (by default all but this one).")
    async def revoke_all_sessions(
        self, info: Info, keep_current: bool = True
    ) -> types.SessionsEnded:
        user, ctx = await _signed_in_user(info)
        ended = await security.revoke_all_sessions(user, keep_current, ctx)
        if not keep_current:
            info.context.clear_cookie(SESSION_COOKIE)
            info.context.clear_cookie(DEVICE_COOKIE)
        return types.SessionsEnded(sessions_ended=ended)

    @strawberry.mutation(description="Stops a remembered device from skipping the code.")
    async def forget_remembered_device(
        self, info: Info, device_id: strawberry.ID
    ) -> types.AcceptedResult:
        user, ctx = await _signed_in_user(info)
        key = database_key(
            parse_global_id(str(device_id), "deviceId"), "RememberedDevice", "deviceId"
        )
        try:
            await security.forget_device(user, key, ctx)
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return types.Accepted(message="That device will be asked for a code again.")

    @strawberry.mutation(description="Closes your account: sessions end, records are kept.")
    async def deactivate_account(
        self, info: Info, input: types.ReauthenticationInput
    ) -> types.AcceptedResult:
        user, ctx = await _signed_in_user(info)
        try:
            await security.deactivate(info.context.settings, user, _proof(input), ctx)
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        info.context.clear_cookie(SESSION_COOKIE)
        info.context.clear_cookie(DEVICE_COOKIE)
        return types.Accepted(message="Your account is closed. Your records are kept.")

    @strawberry.mutation(description="Reopens a deactivated account (admins only).")
    async def reactivate_account(self, info: Info, user_id: strawberry.ID) -> types.UserResult:
        scope = await info.context.scope()
        scope.require_role(models.Role.ADMIN)
        key = database_key(parse_global_id(str(user_id), "userId"), "User", "userId")
        try:
            user = await security.reactivate(
                info.context.settings, key, _audit_context(info, scope)
            )
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return types.UserPayload(user=types.User.from_model(user))

    @strawberry.mutation(
        description="Creates a staff account; a link to set a password is mailed (admins only)."
    )
    async def create_staff_user(
        self, info: Info, input: types.CreateStaffUserInput
    ) -> types.UserResult:
        scope = await info.context.scope()
        scope.require_role(models.Role.ADMIN)
        try:
            user = await security.create_staff_user(
                info.context.settings,
                input.email,
                input.name,
                list(input.roles),
                _audit_context(info, scope),
            )
        except AccountProblems as problems:
            return types.AccountErrors.from_problems(problems)
        return types.UserPayload(user=types.User.from_model(user))
