import type { CloudFormationCustomResourceEvent, CloudFormationCustomResourceResponse } from 'aws-lambda';
import { defaultDeps, type Deps } from '../../shared/deps';
import { DEFAULT_ROOT_ORG_NAME, rootOrgNameProblem } from '../../shared/config';
import { logger } from '../../shared/http/logger';

const nameOf = (props: Record<string, unknown> | undefined): string | undefined =>
  typeof props?.RootOrgName === 'string' && props.RootOrgName.trim() !== '' ? props.RootOrgName : undefined;

/**
 * CloudFormation custom resource: creates the root org (kind federation, id
 * from ROOT_ORG_ID, Chinese name from the resource's RootOrgName property,
 * i.e. the stack's `huzhu:rootOrgName` context; SPEC §4.1) at deploy time,
 * so a fresh stack answers GET /orgs/root. Idempotent: an existing root is
 * left as it is, except that an Update whose RootOrgName changed renames it
 * (the configuration changed; a name set by PATCH survives other deploys).
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
        const now = deps.clock.now().toISOString();
        const name = nameOf(event.ResourceProperties) ?? deps.config.rootOrgName ?? DEFAULT_ROOT_ORG_NAME;
        const problem = rootOrgNameProblem(name);
        if (problem) throw new Error(problem);
        let outcome: 'created' | 'existed' | 'renamed' = await deps.orgs.ensureRoot(rootId, now, name);
        if (
          outcome === 'existed' &&
          event.RequestType === 'Update' &&
          nameOf(event.OldResourceProperties) !== nameOf(event.ResourceProperties)
        ) {
          await deps.orgs.update(rootId, { name: name.trim() }, now);
          outcome = 'renamed';
        }
        logger.info('root org', { rootOrgId: rootId, outcome, requestType: event.RequestType });
      }
    } catch (e) {
      logger.error('root org not created', e as Error);
      Object.assign(response, { Status: 'FAILED', Reason: `Could not create the root org: ${(e as Error).name}: ${(e as Error).message}` });
    }
    // CloudFormation's presigned S3 URL wants an empty content type.
    const r = await send(event.ResponseURL, { method: 'PUT', headers: { 'content-type': '' }, body: JSON.stringify(response) });
    if (!r.ok) throw new Error(`CloudFormation response URL answered ${r.status}`);
    return response;
  };

export const handler = makeHandler();
