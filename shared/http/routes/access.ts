/** Roles that manage the org tree and targets, and review claims. */
export const MANAGERS = ['federation_admin', 'office_staff'] as const;
export const FEDERATION = ['federation_admin'] as const;

/** Personal-data grants (RoutePermissions.pii): reading sealed identities, or enrolling (sealing + uniqueness hashes). */
export const OPEN_PII = { open: true } as const;
export const ENROL_PII = { seal: true, hmac: true } as const;
