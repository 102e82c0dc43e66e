from tortoise import migrations
from tortoise.migrations import operations as ops
from api.models.notifications import NotificationKind
from api.models.scheduling import AppointmentStatus, ClaimOwner, ExceptionKind, WaitlistStatus
from api.models.therapists import Specialty
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('relief', '0004_realtime')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CalendarFeed',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.OneToOneField('relief.User', source_field='user_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'scheduling_calendar_feed', 'app': 'relief', 'pk_attr': 'id', 'table_description': 'The secret iCalendar feed of a user: the hash of its token, replaced by a new token.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReminderPreference',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.OneToOneField('relief.User', source_field='user_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('offsets_minutes', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'scheduling_reminder_preference', 'app': 'relief', 'pk_attr': 'id', 'table_description': 'When a user wants appointment reminders (minutes before), where not the default.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ScheduleException',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('therapist', fields.ForeignKeyField('relief.Therapist', source_field='therapist_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(description='TIME_OFF: TIME_OFF\nEXTRA_HOURS: EXTRA_HOURS', enum_type=ExceptionKind, max_length=12)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('location', fields.ForeignKeyField('relief.Location', source_field='location_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('note', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'scheduling_exception', 'app': 'relief', 'indexes': [Index(fields=['therapist_id', 'starts_at'])], 'pk_attr': 'id', 'table_description': 'Time off (no bookings) or extra hours (bookable) for one therapist, in UTC instants.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='SessionType',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=40)),
                ('name', fields.CharField(max_length=120)),
                ('description', fields.TextField(default='', unique=False)),
                ('duration_minutes', fields.SmallIntField()),
                ('telehealth_allowed', fields.BooleanField(default=True)),
                ('active', fields.BooleanField(default=True)),
                ('sort_order', fields.SmallIntField(default=0)),
            ],
            options={'table': 'scheduling_session_type', 'app': 'relief', 'pk_attr': 'id', 'table_description': 'A kind of session the clinic offers (initial consultation, follow-up...), clinic-wide.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Appointment',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('patient', fields.ForeignKeyField('relief.Patient', source_field='patient_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('therapist', fields.ForeignKeyField('relief.Therapist', source_field='therapist_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('session_type', fields.ForeignKeyField('relief.SessionType', source_field='session_type_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('location', fields.ForeignKeyField('relief.Location', source_field='location_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('telehealth', fields.BooleanField(default=False)),
                ('join_url', fields.CharField(default='', max_length=300)),
                ('starts_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ends_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharEnumField(default=AppointmentStatus.BOOKED, description='BOOKED: BOOKED\nCANCELLED: CANCELLED\nLATE_CANCELLED: LATE_CANCELLED\nATTENDED: ATTENDED\nNO_SHOW: NO_SHOW', enum_type=AppointmentStatus, max_length=16)),
                ('concerns', fields.TextField(default='', unique=False)),
                ('booked_by', fields.ForeignKeyField('relief.User', source_field='booked_by_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('booked_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('cancelled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('cancelled_by', fields.ForeignKeyField('relief.User', source_field='cancelled_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('cancellation_reason', fields.CharField(default='', max_length=500)),
                ('rescheduled_from', fields.ForeignKeyField('relief.Appointment', source_field='rescheduled_from_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('attendance_marked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('attendance_marked_by', fields.ForeignKeyField('relief.User', source_field='attendance_marked_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'scheduling_appointment', 'app': 'relief', 'indexes': [Index(fields=['patient_id', 'starts_at']), Index(fields=['therapist_id', 'starts_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PreVisitQuestionnaire',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('appointment', fields.OneToOneField('relief.Appointment', source_field='appointment_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('patient', fields.ForeignKeyField('relief.Patient', source_field='patient_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('due_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('answers', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('submitted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('submitted_by', fields.ForeignKeyField('relief.User', source_field='submitted_by_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'scheduling_questionnaire', 'app': 'relief', 'pk_attr': 'id', 'table_description': 'Assigned on booking, due before the session, shown to the therapist on the appointment.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='TimeClaim',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('appointment', fields.ForeignKeyField('relief.Appointment', source_field='appointment_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('owner_kind', fields.CharEnumField(description='THERAPIST: THERAPIST\nPATIENT: PATIENT', enum_type=ClaimOwner, max_length=10)),
                ('owner_id', fields.BigIntField()),
                ('cell_start', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'scheduling_time_claim', 'app': 'relief', 'unique_together': (('owner_kind', 'owner_id', 'cell_start'),), 'indexes': [Index(fields=['appointment_id'])], 'pk_attr': 'id', 'table_description': "One 5-minute cell of a therapist's or a patient's time, held by one booking."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WaitlistEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('patient', fields.ForeignKeyField('relief.Patient', source_field='patient_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('therapist', fields.ForeignKeyField('relief.Therapist', source_field='therapist_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('specialty', fields.CharEnumField(null=True, description='ORTHOPEDIC: ORTHOPEDIC\nSPORTS: SPORTS\nNEUROLOGICAL: NEUROLOGICAL\nCEREBRAL_PALSY: CEREBRAL_PALSY\nPEDIATRIC: PEDIATRIC\nGERIATRIC: GERIATRIC\nVESTIBULAR: VESTIBULAR\nPELVIC_HEALTH: PELVIC_HEALTH\nSPEECH_LANGUAGE: SPEECH_LANGUAGE\nSWALLOWING: SWALLOWING\nOCCUPATIONAL: OCCUPATIONAL\nHAND: HAND\nCARDIOPULMONARY: CARDIOPULMONARY\nLYMPHEDEMA: LYMPHEDEMA', enum_type=Specialty, max_length=32)),
                ('session_type', fields.ForeignKeyField('relief.SessionType', source_field='session_type_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.RESTRICT)),
                ('location', fields.ForeignKeyField('relief.Location', source_field='location_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('telehealth', fields.BooleanField(null=True)),
                ('from_date', fields.DateField()),
                ('to_date', fields.DateField()),
                ('status', fields.CharEnumField(default=WaitlistStatus.WAITING, description='WAITING: WAITING\nBOOKED: BOOKED\nCANCELLED: CANCELLED\nEXPIRED: EXPIRED', enum_type=WaitlistStatus, max_length=10)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('last_offered_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('booked_appointment', fields.ForeignKeyField('relief.Appointment', source_field='booked_appointment_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'scheduling_waitlist', 'app': 'relief', 'indexes': [Index(fields=['status', 'created_at']), Index(fields=['patient_id', 'status'])], 'pk_attr': 'id', 'table_description': 'A patient waiting for a therapist (or any therapist of a specialty) in a date range.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='WeeklyHours',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('therapist', fields.ForeignKeyField('relief.Therapist', source_field='therapist_id', db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('location', fields.ForeignKeyField('relief.Location', source_field='location_id', null=True, db_constraint=True, to_field='id', related_name=False, on_delete=OnDelete.CASCADE)),
                ('weekday', fields.SmallIntField()),
                ('start_minute', fields.SmallIntField()),
                ('end_minute', fields.SmallIntField()),
                ('valid_from', fields.DateField(null=True)),
                ('valid_until', fields.DateField(null=True)),
            ],
            options={'table': 'scheduling_weekly_hours', 'app': 'relief', 'indexes': [Index(fields=['therapist_id', 'weekday'])], 'pk_attr': 'id', 'table_description': 'Recurring hours: this weekday, from..to in local wall time, at a location or online.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='PLAN_UPDATED: PLAN_UPDATED\nPROFILE_REVIEW_DUE: PROFILE_REVIEW_DUE\nQUESTIONNAIRE_DUE: QUESTIONNAIRE_DUE\nAPPOINTMENT_BOOKED: APPOINTMENT_BOOKED\nAPPOINTMENT_CHANGED: APPOINTMENT_CHANGED\nAPPOINTMENT_REMINDER: APPOINTMENT_REMINDER\nWAITLIST_SLOT_OPEN: WAITLIST_SLOT_OPEN\nNEW_MESSAGE: NEW_MESSAGE\nURGENT_MESSAGE_ESCALATION: URGENT_MESSAGE_ESCALATION\nNEW_MESSAGE_URGENT: NEW_MESSAGE_URGENT\nMESSAGE_OVERDUE: MESSAGE_OVERDUE\nVIDEO_COMMENT: VIDEO_COMMENT\nSECURITY: SECURITY', enum_type=NotificationKind, max_length=32),
        ),
        ops.AlterField(
            model_name='NotificationPreference',
            name='kind',
            field=fields.CharEnumField(description='PLAN_UPDATED: PLAN_UPDATED\nPROFILE_REVIEW_DUE: PROFILE_REVIEW_DUE\nQUESTIONNAIRE_DUE: QUESTIONNAIRE_DUE\nAPPOINTMENT_BOOKED: APPOINTMENT_BOOKED\nAPPOINTMENT_CHANGED: APPOINTMENT_CHANGED\nAPPOINTMENT_REMINDER: APPOINTMENT_REMINDER\nWAITLIST_SLOT_OPEN: WAITLIST_SLOT_OPEN\nNEW_MESSAGE: NEW_MESSAGE\nURGENT_MESSAGE_ESCALATION: URGENT_MESSAGE_ESCALATION\nNEW_MESSAGE_URGENT: NEW_MESSAGE_URGENT\nMESSAGE_OVERDUE: MESSAGE_OVERDUE\nVIDEO_COMMENT: VIDEO_COMMENT\nSECURITY: SECURITY', enum_type=NotificationKind, max_length=32),
        ),
        ops.AddField(
            model_name='OutboxMail',
            name='attachment_ics',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='Therapist',
            name='buffer_minutes',
            field=fields.SmallIntField(default=10),
        ),
        ops.AddField(
            model_name='Therapist',
            name='time_zone',
            field=fields.CharField(default='America/New_York', max_length=64),
        ),
    ]
