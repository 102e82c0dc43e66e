import { useEffect, useState } from 'react';
import { graphql } from '../../gql';

export const MyEmergencyAccessesDocument = graphql(`
  query MyEmergencyAccesses {
    myEmergencyAccesses {
      id
      reason
      openedAt
      expiresAt
      closedAt
      status
      patientId
      patient {
        id
        givenName
        familyName
      }
    }
  }
`);

export const CloseEmergencyAccessDocument = graphql(`
  mutation CloseEmergencyAccess($id: ID!) {
    closeEmergencyAccess(id: $id) {
      emergencyAccess {
        id
        status
        closedAt
        expiresAt
      }
    }
  }
`);

/**
 * The list is empty before the first access is opened, so nothing in it names the type a
 * mutation answers: this tells urql's document cache to read it again after one.
 */
export const EMERGENCY_CONTEXT = { additionalTypenames: ['EmergencyAccess'] };

/**
 * The time now: read at every render (one just opened counts from now, not from when the
 * page was opened), and a render every `everyMs`, so "minutes left" stays true.
 */
export function useNow(everyMs = 30_000): Date {
  const [, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((tick) => tick + 1), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return new Date();
}
