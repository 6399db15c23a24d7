import { orgInScope } from '../../shared/http/access';
import { claimView } from '../../shared/http/claimView';
import { httpHandler } from '../../shared/http/handler';
import { secretsManager } from '../../shared/secretsManager';
import { listClaims } from '../../shared/http/routes/claims';

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
    return { status: 200, body: { items: page.items.map((c) => claimView(c)), nextCursor: page.nextCursor } };
  },
  { secrets: secretsManager },
);
