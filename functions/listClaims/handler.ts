import { orgInScope } from '../../shared/http/access';
import { claimMembers, claimView } from '../../shared/claims/views';
import { httpHandler } from '../../shared/http/handler';
import { secretsManager } from '../../shared/secretsManager';
import { listClaims } from '../../shared/http/routes/claims';
import { observeClaims } from '../../shared/payments/observe';

/**
 * Claims of the units under an org (default: the caller's), optionally one
 * status (the review queue: ?status=submitted) and one plan. Ordered by unit
 * path, then filing order. Documents come without `uploaded`: a list does not
 * ask S3 about every receipt (GET /claims/{id} does).
 */
export const handler = httpHandler(
  'listClaims',
  listClaims,
  async ({ query, principal, deps }) => {
    const org = await orgInScope(deps, principal, query.orgId ?? principal.orgId);
    const page = await deps.claims.list({
      path: org.path,
      status: query.status,
      planId: query.planId,
      limit: query.limit,
      cursor: query.cursor,
    });
    // Claims of a payment being rolled forward are shown as its commit decided, never half paid (the filter may thin a page).
    const items = await observeClaims(deps, page.items, query.status);
    // Each claim names its member (SPEC §4.4): the page's enrolments read in one batch, their names unsealed.
    const members = await claimMembers(deps, items);
    return { status: 200, body: { items: items.map((c) => claimView(c, members.get(c.enrolmentId)!)), nextCursor: page.nextCursor } };
  },
  { secrets: secretsManager },
);
