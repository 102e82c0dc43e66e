from tortoise import migrations
from tortoise.migrations import operations as ops
from api.models.accounts import ClientKind, SignInFailure, TokenPurpose
from api.models.audit import AuditOutcome, AuditSeverity
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('relief', '0001_accounts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AccountToken',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('relief.User', source_field='user_id', db_constraint=True, to_field='id', related_name='account_tokens', on_delete=OnDelete.CASCADE)),
                ('purpose', fields.CharEnumField(description='VERIFY_EMAIL: VERIFY_EMAIL\nRESET_PASSWORD: RESET_PASSWORD\nCHANGE_EMAIL: CHANGE_EMAIL', enum_type=TokenPurpose, max_length=16)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('new_email', fields.CharField(null=True, max_length=254)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'accounts_token', 'app': 'relief', 'indexes': [Index(fields=['user_id', 'purpose', 'created_at'])], 'pk_attr': 'id', 'table_description': 'Single-use mailed tokens (verify email, reset password, change email), stored hashed.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='AuditEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('actor_user_id', fields.BigIntField(null=True)),
                ('acting_for_patient_id', fields.BigIntField(null=True)),
                ('action', fields.CharField(max_length=64)),
                ('target_type', fields.CharField(null=True, max_length=64)),
                ('target_id', fields.CharField(null=True, max_length=64)),
                ('outcome', fields.CharEnumField(description='SUCCESS: SUCCESS\nFAILURE: FAILURE\nDENIED: DENIED', enum_type=AuditOutcome, max_length=8)),
                ('severity', fields.CharEnumField(default=AuditSeverity.INFO, description='INFO: INFO\nWARNING: WARNING\nHIGH: HIGH', enum_type=AuditSeverity, max_length=8)),
                ('ip', fields.CharField(null=True, max_length=45)),
                ('session_id', fields.BigIntField(null=True)),
                ('details', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('prev_hash', fields.CharField(unique=True, max_length=64)),
                ('hash', fields.CharField(unique=True, max_length=64)),
            ],
            options={'table': 'audit_event', 'app': 'relief', 'indexes': [Index(fields=['actor_user_id', 'occurred_at']), Index(fields=['acting_for_patient_id', 'occurred_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LoginAttempt',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('relief.User', source_field='user_id', null=True, db_constraint=True, to_field='id', related_name='login_attempts', on_delete=OnDelete.CASCADE)),
                ('occurred_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('ip', fields.CharField(default='', max_length=45)),
                ('user_agent', fields.CharField(default='', max_length=512)),
                ('device_label', fields.CharField(default='', max_length=120)),
                ('succeeded', fields.BooleanField()),
                ('failure_reason', fields.CharEnumField(null=True, description='UNKNOWN_ACCOUNT: UNKNOWN_ACCOUNT\nBAD_PASSWORD: BAD_PASSWORD\nLOCKED: LOCKED\nDEACTIVATED: DEACTIVATED\nBAD_SECOND_FACTOR: BAD_SECOND_FACTOR\nRATE_LIMITED: RATE_LIMITED', enum_type=SignInFailure, max_length=24)),
                ('new_device', fields.BooleanField(default=False)),
            ],
            options={'table': 'accounts_login_attempt', 'app': 'relief', 'indexes': [Index(fields=['user_id', 'occurred_at'])], 'pk_attr': 'id', 'table_description': "Every sign-in attempt, shown to the account's owner as login history."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxMail',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('to_address', fields.CharField(max_length=254)),
                ('template', fields.CharField(max_length=64)),
                ('subject', fields.CharField(max_length=200)),
                ('text_body', fields.TextField(unique=False)),
                ('html_body', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('last_error', fields.CharField(default='', max_length=300)),
            ],
            options={'table': 'outbox_mail', 'app': 'relief', 'indexes': [Index(fields=['sent_at', 'created_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RecoveryCode',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('relief.User', source_field='user_id', db_constraint=True, to_field='id', related_name='recovery_codes', on_delete=OnDelete.CASCADE)),
                ('code_hash', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'accounts_recovery_code', 'app': 'relief', 'unique_together': (('user', 'code_hash'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='RememberedDevice',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('relief.User', source_field='user_id', db_constraint=True, to_field='id', related_name='remembered_devices', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('device_label', fields.CharField(default='', max_length=120)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_used_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'accounts_remembered_device', 'app': 'relief', 'pk_attr': 'id', 'table_description': 'A browser or app the user chose to trust for 30 days: sign-in skips the TOTP code.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Session',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('relief.User', source_field='user_id', db_constraint=True, to_field='id', related_name='sessions', on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('client', fields.CharEnumField(description='WEB: WEB\nMOBILE: MOBILE', enum_type=ClientKind, max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('last_seen_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('second_factor_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('needs_second_factor', fields.BooleanField(default=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('revoked_reason', fields.CharField(default='', max_length=32)),
                ('ip', fields.CharField(default='', max_length=45)),
                ('user_agent', fields.CharField(default='', max_length=512)),
                ('device_label', fields.CharField(default='', max_length=120)),
            ],
            options={'table': 'accounts_session', 'app': 'relief', 'indexes': [Index(fields=['user_id', 'revoked_at'])], 'pk_attr': 'id', 'table_description': 'A signed-in client. Only a SHA-256 of the token is stored.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='User',
            name='date_of_birth',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='User',
            name='deactivated_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='User',
            name='email_verified_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='User',
            name='failed_sign_ins',
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name='User',
            name='locked_until',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='User',
            name='lockouts',
            field=fields.IntField(default=0),
        ),
        ops.AddField(
            model_name='User',
            name='password_changed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='User',
            name='phone',
            field=fields.CharField(default='', max_length=32),
        ),
        ops.AddField(
            model_name='User',
            name='time_zone',
            field=fields.CharField(default='UTC', max_length=64),
        ),
        ops.AddField(
            model_name='User',
            name='totp_confirmed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='User',
            name='totp_last_step',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='User',
            name='totp_secret_encrypted',
            field=fields.TextField(null=True, unique=False),
        ),
    ]
