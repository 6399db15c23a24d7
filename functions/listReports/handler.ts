import { orgInScope } from '../../shared/http/access';
import { httpHandler } from '../../shared/http/handler';
import { secretsManager } from '../../shared/secretsManager';
import { listReports } from '../../shared/http/routes/reports';

/**
 * Dates with a stored report (SPEC §5), newest first. Every report covers the
 * whole tree, so any org in scope sees the same dates; `orgId` (default the
 * caller's org) is checked so a caller learns nothing about orgs outside it.
 */
export const handler = httpHandler(
  'listReports',
  listReports,
  async ({ query, principal, deps }) => {
    await orgInScope(deps, principal, query.orgId ?? principal.orgId);
    return { status: 200, body: await deps.reports.list(query.limit, query.cursor) };
  },
  { secrets: secretsManager },
);
