import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { defaultDeps, type Deps } from '../../shared/deps';
import { logger } from '../../shared/http/logger';

/**
 * CloudFormation custom resource: creates the root org (kind federation, id
 * from ROOT_ORG_ID) at deploy time, so a fresh stack answers GET /orgs/root.
 * Idempotent: an existing root is left as it is, on every Create/Update;
 * Delete removes nothing (the table is retained, and so is the tree).
 * The result goes to CloudFormation's presigned ResponseURL.
 */
export const makeHandler =
  (getDeps: () => Deps = defaultDeps, send: typeof fetch = fetch) =>
  async (event: CloudFormationCustomResourceEvent): Promise<CloudFormationCustomResourceResponse> => {
    const deps = getDeps();
    const rootId = deps.config.rootOrgId;
    const response: CloudFormationCustomResourceResponse = {
      Status: 'SUCCESS',
      PhysicalResourceId: `huzhu-root-org-${rootId}`,
      StackId: event.StackId,
      RequestId: event.RequestId,
      LogicalResourceId: event.LogicalResourceId,
      Data: { RootOrgId: rootId },
    };
    try {
      if (event.RequestType !== 'Delete') {
        const outcome = await deps.orgs.ensureRoot(rootId, deps.clock.now().toISOString());
        logger.info('root org', { rootOrgId: rootId, outcome, requestType: event.RequestType });
      }
    } catch (e) {
      logger.error('root org not created', e as Error);
      Object.assign(response, { Status: 'FAILED', Reason: `Could not create the root org: ${(e as Error).name}` });
    }
    // CloudFormation's presigned S3 URL wants an empty content type.
    const r = await send(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body: JSON.stringify(response) });
    if (!r.ok) throw new Error(`CloudFormation response URL answered ${r.status}`);
    return response;
  };

export const handler = makeHandler();
