/** The family-access operations, shared by the page and its forms. */
import { graphql } from '../../gql';

export const CaregiverGrantFields = graphql(`
  fragment CaregiverGrantFields on CaregiverGrant {
    id
    patientId
    patientName
    caregiverName
    invitedEmail
    relationship
    kind
    scopes
    status
    expiresAt
    invitationExpiresAt
    createdAt
    acceptedAt
    endedAt
  }
`);

export const FamilyGrantsQuery = graphql(`
  query FamilyGrants {
    caregiverGrants {
      ...CaregiverGrantFields
    }
  }
`);

export const InviteCaregiverMutation = graphql(`
  mutation InviteCaregiver($input: InviteCaregiverInput!) {
    inviteCaregiver(input: $input) {
      __typename
      ... on CaregiverGrantPayload {
        grant {
          ...CaregiverGrantFields
        }
      }
      ... on CaregiverErrors {
        errors {
          code
          field
          message
          attemptsLeft
        }
      }
    }
  }
`);

export const UpdateCaregiverAccessMutation = graphql(`
  mutation UpdateCaregiverAccess($input: UpdateCaregiverAccessInput!) {
    updateCaregiverAccess(input: $input) {
      __typename
      ... on CaregiverGrantPayload {
        grant {
          ...CaregiverGrantFields
        }
      }
      ... on CaregiverErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

export const RevokeCaregiverAccessMutation = graphql(`
  mutation RevokeCaregiverAccess($grantId: ID!) {
    revokeCaregiverAccess(grantId: $grantId) {
      __typename
      ... on CaregiverGrantPayload {
        grant {
          ...CaregiverGrantFields
        }
      }
      ... on CaregiverErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);

export const RegisterDependentMutation = graphql(`
  mutation RegisterDependent($input: RegisterDependentInput!) {
    registerDependent(input: $input) {
      __typename
      ... on RegisterDependentPayload {
        patientId
        grant {
          ...CaregiverGrantFields
        }
      }
      ... on CaregiverErrors {
        errors {
          code
          field
          message
        }
      }
    }
  }
`);
