/** The profile's operations: one query for the page, one mutation per section. */
import { graphql } from '../../gql';

export const ProfileViewQuery = graphql(`
  query ProfileView($withHistory: Boolean!) {
    myPatient {
      id
      givenName
      familyName
      preferredName
      pronouns
      dateOfBirth
      phone
      email
      address {
        line1
        line2
        city
        region
        postalCode
        country
      }
      timeZone
      preferredLanguage
      healthHistory {
        chronicConditions {
          name
          since
          notes
        }
        previousInjuries {
          description
          occurredOn
          notes
        }
        surgeries {
          procedure
          performedOn
          notes
        }
        medications {
          name
          dose
          frequency
          notes
        }
        allergies {
          substance
          reaction
          severity
        }
      }
      currentCondition {
        symptoms
        painLevel
        mobilityLimitations
      }
      treatmentGoals {
        text
        items {
          description
          targetDate
        }
      }
      preferences {
        preferredDays
        preferredTimes
        sessionsPerWeek
        schedulingConstraints
        telehealth
      }
      communication {
        preferredChannel
        language
        okToLeaveVoicemail
        contactWindow
      }
      emergencyContacts {
        name
        relationship
        phone
        email
        isPrimary
      }
      insurance {
        selfPay
        payer
        memberId
        groupId
        subscriberName
        subscriberRelationship
        subscriberDateOfBirth
      }
      profileReviewedAt
      profileReviewDueAt
      profileHistory(first: 5) @include(if: $withHistory) {
        edges {
          node {
            id
            changedAt
            changedByName
            changedByRole
            section
            changedFields
          }
        }
      }
    }
  }
`);

export const ProfileResultFields = graphql(`
  fragment ProfileResultFields on UpdatePatientProfileResult {
    __typename
    ... on PatientProfilePayload {
      patient {
        id
        profileReviewedAt
        profileReviewDueAt
      }
    }
    ... on PatientProfileErrors {
      errors {
        code
        field
        message
      }
    }
  }
`);

export const UpdateDemographicsMutation = graphql(`
  mutation UpdatePatientDemographics($input: UpdatePatientDemographicsInput!) {
    updatePatientDemographics(input: $input) {
      ...ProfileResultFields
    }
  }
`);

export const UpdateHealthHistoryMutation = graphql(`
  mutation UpdateHealthHistory($input: UpdateHealthHistoryInput!) {
    updateHealthHistory(input: $input) {
      ...ProfileResultFields
    }
  }
`);

export const UpdateCurrentConditionMutation = graphql(`
  mutation UpdateCurrentCondition($input: UpdateCurrentConditionInput!) {
    updateCurrentCondition(input: $input) {
      ...ProfileResultFields
    }
  }
`);

export const UpdateTreatmentGoalsMutation = graphql(`
  mutation UpdateTreatmentGoals($input: UpdateTreatmentGoalsInput!) {
    updateTreatmentGoals(input: $input) {
      ...ProfileResultFields
    }
  }
`);

export const UpdateSchedulingPreferencesMutation = graphql(`
  mutation UpdateSchedulingPreferences($input: UpdateSchedulingPreferencesInput!) {
    updateSchedulingPreferences(input: $input) {
      ...ProfileResultFields
    }
  }
`);

export const UpdateCommunicationPreferencesMutation = graphql(`
  mutation UpdateCommunicationPreferences($input: UpdateCommunicationPreferencesInput!) {
    updateCommunicationPreferences(input: $input) {
      ...ProfileResultFields
    }
  }
`);

export const UpdateEmergencyContactsMutation = graphql(`
  mutation UpdateEmergencyContacts($input: UpdateEmergencyContactsInput!) {
    updateEmergencyContacts(input: $input) {
      ...ProfileResultFields
    }
  }
`);

export const UpdateInsuranceMutation = graphql(`
  mutation UpdateInsurance($input: UpdateInsuranceInput!) {
    updateInsurance(input: $input) {
      ...ProfileResultFields
    }
  }
`);

export const ConfirmProfileReviewedMutation = graphql(`
  mutation ConfirmProfileReviewed($patientId: ID!) {
    confirmProfileReviewed(patientId: $patientId) {
      ...ProfileResultFields
    }
  }
`);
