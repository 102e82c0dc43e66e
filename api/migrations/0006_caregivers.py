from tortoise import migrations
from tortoise.migrations import operations as ops
from api.models.caregivers import GrantKind, GrantStatus, Relationship
from api.models.notifications import NotificationKind
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('relief', '0005_scheduling')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CaregiverGrant',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('patient', fields.ForeignKeyField('relief.Patient', source_field='patient_id', db_constraint=True, to_field='id', related_name='caregiver_grants', on_delete=OnDelete.CASCADE)),
                ('caregiver', fields.ForeignKeyField('relief.User', source_field='caregiver_id', null=True, db_constraint=True, to_field='id', related_name='caregiving', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharEnumField(default=GrantKind.PROXY, description='PROXY: PROXY\nGUARDIAN: GUARDIAN', enum_type=GrantKind, max_length=10)),
                ('status', fields.CharEnumField(description='INVITED: INVITED\nACTIVE: ACTIVE\nREVOKED: REVOKED\nVOIDED: VOIDED\nDECLINED: DECLINED', enum_type=GrantStatus, max_length=10)),
                ('relationship', fields.CharEnumField(description='PARENT: PARENT\nGUARDIAN: GUARDIAN\nSPOUSE_OR_PARTNER: SPOUSE_OR_PARTNER\nCHILD: CHILD\nSIBLING: SIBLING\nOTHER_FAMILY: OTHER_FAMILY\nFRIEND: FRIEND\nPROFESSIONAL_CARER: PROFESSIONAL_CARER\nOTHER: OTHER', enum_type=Relationship, max_length=20)),
                ('scopes', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('invited_email', fields.CharField(default='', max_length=254)),
                ('invitation_token_hash', fields.CharField(null=True, unique=True, max_length=64)),
                ('invitation_expires_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('wrong_answers', fields.IntField(default=0)),
                ('granted_by', fields.ForeignKeyField('relief.User', source_field='granted_by_id', null=True, db_constraint=True, to_field='id', related_name='grants_given', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('accepted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('ended_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('ended_by', fields.ForeignKeyField('relief.User', source_field='ended_by_id', null=True, db_constraint=True, to_field='id', related_name='grants_ended', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'caregivers_grant', 'app': 'relief', 'indexes': [Index(fields=['caregiver_id', 'patient_id', 'status']), Index(fields=['patient_id', 'status'])], 'pk_attr': 'id', 'table_description': 'What one person may see and do for one patient, for how long.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DashboardLayout',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.OneToOneField('relief.User', source_field='user_id', db_constraint=True, to_field='id', related_name='dashboard_layout', on_delete=OnDelete.CASCADE)),
                ('widgets', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('updated_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'dashboard_layout', 'app': 'relief', 'pk_attr': 'id', 'table_description': 'One row per user who changed the default layout. Widgets are kind names, in order.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='EmergencyAccess',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('relief.User', source_field='user_id', db_constraint=True, to_field='id', related_name='emergency_accesses', on_delete=OnDelete.CASCADE)),
                ('patient', fields.ForeignKeyField('relief.Patient', source_field='patient_id', db_constraint=True, to_field='id', related_name='emergency_accesses', on_delete=OnDelete.CASCADE)),
                ('reason', fields.TextField(unique=False)),
                ('opened_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('session_id', fields.BigIntField(null=True)),
                ('ip', fields.CharField(default='', max_length=45)),
            ],
            options={'table': 'emergency_access', 'app': 'relief', 'indexes': [Index(fields=['user_id', 'expires_at']), Index(fields=['patient_id', 'opened_at'])], 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Notification',
            name='kind',
            field=fields.CharEnumField(description='PLAN_UPDATED: PLAN_UPDATED\nPROFILE_REVIEW_DUE: PROFILE_REVIEW_DUE\nQUESTIONNAIRE_DUE: QUESTIONNAIRE_DUE\nAPPOINTMENT_BOOKED: APPOINTMENT_BOOKED\nAPPOINTMENT_CHANGED: APPOINTMENT_CHANGED\nAPPOINTMENT_REMINDER: APPOINTMENT_REMINDER\nWAITLIST_SLOT_OPEN: WAITLIST_SLOT_OPEN\nNEW_MESSAGE: NEW_MESSAGE\nURGENT_MESSAGE_ESCALATION: URGENT_MESSAGE_ESCALATION\nNEW_MESSAGE_URGENT: NEW_MESSAGE_URGENT\nMESSAGE_OVERDUE: MESSAGE_OVERDUE\nVIDEO_COMMENT: VIDEO_COMMENT\nSECURITY: SECURITY\nCAREGIVER_ACCESS: CAREGIVER_ACCESS\nEMERGENCY_ACCESS: EMERGENCY_ACCESS', enum_type=NotificationKind, max_length=32),
        ),
        ops.AlterField(
            model_name='NotificationPreference',
            name='kind',
            field=fields.CharEnumField(description='PLAN_UPDATED: PLAN_UPDATED\nPROFILE_REVIEW_DUE: PROFILE_REVIEW_DUE\nQUESTIONNAIRE_DUE: QUESTIONNAIRE_DUE\nAPPOINTMENT_BOOKED: APPOINTMENT_BOOKED\nAPPOINTMENT_CHANGED: APPOINTMENT_CHANGED\nAPPOINTMENT_REMINDER: APPOINTMENT_REMINDER\nWAITLIST_SLOT_OPEN: WAITLIST_SLOT_OPEN\nNEW_MESSAGE: NEW_MESSAGE\nURGENT_MESSAGE_ESCALATION: URGENT_MESSAGE_ESCALATION\nNEW_MESSAGE_URGENT: NEW_MESSAGE_URGENT\nMESSAGE_OVERDUE: MESSAGE_OVERDUE\nVIDEO_COMMENT: VIDEO_COMMENT\nSECURITY: SECURITY\nCAREGIVER_ACCESS: CAREGIVER_ACCESS\nEMERGENCY_ACCESS: EMERGENCY_ACCESS', enum_type=NotificationKind, max_length=32),
        ),
        ops.AddField(
            model_name='RecordAccess',
            name='emergency_access_id',
            field=fields.BigIntField(null=True),
        ),
        ops.AddField(
            model_name='User',
            name='emergency_access_until',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
