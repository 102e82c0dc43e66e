from tortoise import migrations
from tortoise.migrations import operations as ops
from api.models.files import FileKind, FileStorage
from api.models.messaging import AuthorRole, ThreadStatus
from api.models.notifications import DeliveryStatus, NotificationChannel, NotificationKind
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('relief', '0003_clinical')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Delivery',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('notification', fields.ForeignKeyField('relief.Notification', source_field='notification_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('channel', fields.CharEnumField(description='IN_APP: IN_APP\nEMAIL: EMAIL\nSMS: SMS\nPUSH: PUSH', enum_type=NotificationChannel, max_length=8)),
                ('status', fields.CharEnumField(default=DeliveryStatus.PENDING, description='PENDING: PENDING\nSENT: SENT\nFAILED: FAILED\nSKIPPED: SKIPPED', enum_type=DeliveryStatus, max_length=8)),
                ('attempts', fields.IntField(default=0)),
                ('not_before', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.CharField(default='', max_length=300)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notifications_delivery', 'app': 'relief', 'unique_together': (('notification_id', 'channel'),), 'pk_attr': 'id', 'table_description': 'One notification on one channel other than in-app.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DeliveryAttempt',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('delivery', fields.ForeignKeyField('relief.Delivery', source_field='delivery_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('attempted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('succeeded', fields.BooleanField()),
                ('detail', fields.CharField(default='', max_length=300)),
            ],
            options={'table': 'notifications_delivery_attempt', 'app': 'relief', 'indexes': [Index(fields=['delivery_id', 'attempted_at'])], 'pk_attr': 'id', 'table_description': 'Every try of a delivery, successful or not: what was tried, when, and the answer.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Job',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=64)),
                ('payload', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('run_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('max_attempts', fields.IntField(default=8)),
                ('locked_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('locked_by', fields.CharField(default='', max_length=64)),
                ('dedupe_key', fields.CharField(null=True, unique=True, max_length=128)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('outcome', fields.CharField(default='', max_length=16)),
                ('last_error', fields.CharField(default='', max_length=300)),
            ],
            options={'table': 'jobs_job', 'app': 'relief', 'indexes': [Index(fields=['finished_at', 'run_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MessageThread',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('patient', fields.ForeignKeyField('relief.Patient', source_field='patient_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('subject', fields.CharField(max_length=200)),
                ('started_by', fields.ForeignKeyField('relief.User', source_field='started_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(default=ThreadStatus.OPEN, description='OPEN: OPEN\nRESOLVED: RESOLVED', enum_type=ThreadStatus, max_length=8)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_message_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('awaiting_reply_since', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('response_due_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('overdue_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('resolved_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('resolved_by', fields.ForeignKeyField('relief.User', source_field='resolved_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'messaging_thread', 'app': 'relief', 'indexes': [Index(fields=['patient_id', 'last_message_at']), Index(fields=['response_due_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Message',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('thread', fields.ForeignKeyField('relief.MessageThread', source_field='thread_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('relief.User', source_field='author_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('author_role', fields.CharEnumField(description='PATIENT: PATIENT\nCAREGIVER: CAREGIVER\nCLINICIAN: CLINICIAN\nADMIN: ADMIN', enum_type=AuthorRole, max_length=10)),
                ('body', fields.TextField(unique=False)),
                ('urgent', fields.BooleanField(default=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('acknowledged_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('acknowledged_by', fields.ForeignKeyField('relief.User', source_field='acknowledged_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('escalated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'messaging_message', 'app': 'relief', 'indexes': [Index(fields=['thread_id', 'id'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NotificationPreference',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('relief.User', source_field='user_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='PLAN_UPDATED: PLAN_UPDATED\nPROFILE_REVIEW_DUE: PROFILE_REVIEW_DUE\nQUESTIONNAIRE_DUE: QUESTIONNAIRE_DUE\nAPPOINTMENT_BOOKED: APPOINTMENT_BOOKED\nAPPOINTMENT_CHANGED: APPOINTMENT_CHANGED\nAPPOINTMENT_REMINDER: APPOINTMENT_REMINDER\nNEW_MESSAGE: NEW_MESSAGE\nURGENT_MESSAGE_ESCALATION: URGENT_MESSAGE_ESCALATION\nNEW_MESSAGE_URGENT: NEW_MESSAGE_URGENT\nMESSAGE_OVERDUE: MESSAGE_OVERDUE\nVIDEO_COMMENT: VIDEO_COMMENT\nSECURITY: SECURITY', enum_type=NotificationKind, max_length=32)),
                ('channel', fields.CharEnumField(description='IN_APP: IN_APP\nEMAIL: EMAIL\nSMS: SMS\nPUSH: PUSH', enum_type=NotificationChannel, max_length=8)),
                ('enabled', fields.BooleanField()),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notifications_preference', 'app': 'relief', 'unique_together': (('user_id', 'kind', 'channel'),), 'pk_attr': 'id', 'table_description': "One user's choice for one kind on one channel, where it differs from the default."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OutboxSms',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('to_number', fields.CharField(max_length=32)),
                ('body', fields.CharField(max_length=640)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'outbox_sms', 'app': 'relief', 'pk_attr': 'id', 'table_description': 'Text messages: kept here in development (no gateway), and a record of each one sent.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PushSubscription',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('relief.User', source_field='user_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('endpoint', fields.CharField(max_length=1000)),
                ('endpoint_hash', fields.CharField(unique=True, max_length=64)),
                ('p256dh', fields.CharField(max_length=200)),
                ('auth', fields.CharField(max_length=100)),
                ('user_agent', fields.CharField(default='', max_length=512)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_success_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notifications_push_subscription', 'app': 'relief', 'pk_attr': 'id', 'table_description': "A browser's Web Push subscription (the PushSubscription JSON of the Push API)."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='QuietHours',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.OneToOneField('relief.User', source_field='user_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('starts_minute', fields.SmallIntField()),
                ('ends_minute', fields.SmallIntField()),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'notifications_quiet_hours', 'app': 'relief', 'pk_attr': 'id', 'table_description': "Hours in the user's own time zone when non-urgent email, SMS and push wait."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='StoredFile',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('public_id', fields.UUIDField(unique=True)),
                ('patient', fields.ForeignKeyField('relief.Patient', source_field='patient_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('uploaded_by', fields.ForeignKeyField('relief.User', source_field='uploaded_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='DOCUMENT: DOCUMENT\nVIDEO: VIDEO', enum_type=FileKind, max_length=8)),
                ('media_type', fields.CharField(max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('size', fields.BigIntField()),
                ('sha256', fields.CharField(max_length=64)),
                ('storage', fields.CharEnumField(description='DATABASE: DATABASE\nDIRECTORY: DIRECTORY', enum_type=FileStorage, max_length=9)),
                ('storage_key', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'files_file', 'app': 'relief', 'indexes': [Index(fields=['patient_id', 'created_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FileChunk',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('file', fields.ForeignKeyField('relief.StoredFile', source_field='file_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('seq', fields.IntField()),
                ('data', fields.BinaryField()),
                ('sha256', fields.CharField(max_length=64)),
            ],
            options={'table': 'files_chunk', 'app': 'relief', 'unique_together': (('file_id', 'seq'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MessageAttachment',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('message', fields.ForeignKeyField('relief.Message', source_field='message_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('file', fields.ForeignKeyField('relief.StoredFile', source_field='file_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'messaging_attachment', 'app': 'relief', 'unique_together': (('message_id', 'file_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ThreadRead',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('thread', fields.ForeignKeyField('relief.MessageThread', source_field='thread_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('relief.User', source_field='user_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('last_read_message_id', fields.BigIntField()),
                ('read_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'messaging_thread_read', 'app': 'relief', 'unique_together': (('thread_id', 'user_id'),), 'pk_attr': 'id', 'table_description': 'How far one participant has read a thread: the read receipt the others see.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='VideoComment',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('file', fields.ForeignKeyField('relief.StoredFile', source_field='file_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('author', fields.ForeignKeyField('relief.User', source_field='author_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('at_ms', fields.IntField()),
                ('body', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'files_video_comment', 'app': 'relief', 'indexes': [Index(fields=['file_id', 'at_ms'])], 'pk_attr': 'id', 'table_description': "A clinician's comment at a moment of a patient's form-review video."},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='PLAN_UPDATED: PLAN_UPDATED\nPROFILE_REVIEW_DUE: PROFILE_REVIEW_DUE\nQUESTIONNAIRE_DUE: QUESTIONNAIRE_DUE\nAPPOINTMENT_BOOKED: APPOINTMENT_BOOKED\nAPPOINTMENT_CHANGED: APPOINTMENT_CHANGED\nAPPOINTMENT_REMINDER: APPOINTMENT_REMINDER\nNEW_MESSAGE: NEW_MESSAGE\nURGENT_MESSAGE_ESCALATION: URGENT_MESSAGE_ESCALATION\nNEW_MESSAGE_URGENT: NEW_MESSAGE_URGENT\nMESSAGE_OVERDUE: MESSAGE_OVERDUE\nVIDEO_COMMENT: VIDEO_COMMENT\nSECURITY: SECURITY', enum_type=NotificationKind, max_length=32),
        ),
        ops.AddField(
            model_name='Notification',
            name='urgent',
            field=fields.BooleanField(default=False),
        ),
    ]
