import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/ensureRoot/handler';
import { ensureTable } from '../../infra/local/bootstrap';
import { loadConfig } from '../../shared/config';
import { buildDeps } from '../../shared/deps';
import { fed } from '../support/fixtures';
import { invoke } from '../support/invoke';

/**
 * The deployed stack's path to a root org (SPEC §4.1), not the local
 * bootstrap's: a fresh table, the CloudFormation custom-resource handler,
 * then GET /orgs/root on that table.
 */
const cfnEvent = (type: 'Create' | 'Update' | 'Delete'): CloudFormationCustomResourceEvent =>
  ({
    RequestType: type,
    ServiceToken: 'arn:aws:lambda:cn-north-1:1:function:ensureRoot',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/presigned',
    StackId: 'arn:aws:cloudformation:cn-north-1:1:stack/Huzhu/1',
    RequestId: `req-${type}`,
    LogicalResourceId: 'RootOrg',
    ResourceType: 'Custom::HuzhuRootOrg',
    ResourceProperties: { ServiceToken: 'x', RootOrgId: 'fed' },
    ...(type === 'Create' ? {} : { PhysicalResourceId: 'huzhu-root-org-fed', OldResourceProperties: {} }),
  }) as CloudFormationCustomResourceEvent;

describe('root org at deploy time (custom resource)', () => {
  it('creates the root in a fresh table, idempotently, and reports to CloudFormation', async () => {
    const tableName = `huzhu-fresh-${ulid().toLowerCase()}`;
    const config = { ...loadConfig(), tableName, rootOrgId: 'fed' };
    const deps = buildDeps({ config });
    await ensureTable(deps.ddb, tableName);
    const sent: { url: string; body: Record<string, unknown> }[] = [];
    const fakeFetch = (async (url: string, init: { body: string }) => {
      sent.push({ url, body: JSON.parse(init.body) });
      return new Response(null, { status: 200 });
    }) as unknown as typeof fetch;
    const handler = makeHandler(() => deps, fakeFetch);

    // Before: the API on this table has no root.
    expect((await invoke('getOrg', { params: { id: 'fed' }, claims: { ...fed, org: 'fed' }, deps: { config } })).status).toBe(403);

    await handler(cfnEvent('Create'));
    const root = await deps.orgs.get('fed');
    expect(root).toMatchObject({ id: 'fed', name: '总工会', kind: 'federation', parentId: null, path: ['fed'] });
    expect(sent[0]).toMatchObject({
      url: cfnEvent('Create').ResponseURL,
      body: { Status: 'SUCCESS', PhysicalResourceId: 'huzhu-root-org-fed' },
    });

    // Update and a repeated Create change nothing; Delete removes nothing.
    await handler(cfnEvent('Update'));
    await handler(cfnEvent('Create'));
    await handler(cfnEvent('Delete'));
    expect(await deps.orgs.get('fed')).toEqual(root);
    expect(sent.map((s) => s.body.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS']);

    // After: GET /orgs/fed answers 200 for the federation admin of that deployment.
    const got = await invoke('getOrg', { params: { id: 'fed' }, claims: { ...fed, org: 'fed' }, deps: { config } });
    expect(got.status).toBe(200);
    expect(got.body.kind).toBe('federation');
  });

  it('reports FAILED to CloudFormation when the table cannot be written', async () => {
    const config = { ...loadConfig(), tableName: `huzhu-missing-${ulid().toLowerCase()}` };
    const sent: Record<string, unknown>[] = [];
    const fakeFetch = (async (_url: string, init: { body: string }) => {
      sent.push(JSON.parse(init.body));
      return new Response(null, { status: 200 });
    }) as unknown as typeof fetch;
    await makeHandler(() => buildDeps({ config }), fakeFetch)(cfnEvent('Create'));
    expect(sent[0]).toMatchObject({ Status: 'FAILED', Reason: expect.stringContaining('ResourceNotFoundException') });
  });
});
