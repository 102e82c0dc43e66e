/**
 * Therapists and admins may open a record in an emergency (and see the banner of one open).
 * On its own so the shell can ask without loading the emergency views.
 */
export function canBreakGlass(roles: readonly string[] | null | undefined): boolean {
  return !!roles && (roles.includes('THERAPIST') || roles.includes('ADMIN'));
}

/** The clinic's administrators review every emergency access. */
export function isAdmin(roles: readonly string[] | null | undefined): boolean {
  return !!roles && roles.includes('ADMIN');
}
