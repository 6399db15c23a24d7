import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { ulid } from 'ulid';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '../../functions/ensureRoot/handler';
import { bootstrapStore, ensureTable } from '../../infra/local/bootstrap';
import { checkedRootOrgName, localRootOrgName } from '../../infra/rootOrg';
import { ENV, loadConfig } from '../../shared/config';
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

  it('takes its Chinese name from the stack (RootOrgName), renames the root when that setting changes, and keeps a PATCHed name otherwise', async () => {
    const tableName = `huzhu-fresh-${ulid().toLowerCase()}`;
    const config = { ...loadConfig(), tableName, rootOrgId: 'fed' };
    const deps = buildDeps({ config });
    await ensureTable(deps.ddb, tableName);
    const sent: Record<string, unknown>[] = [];
    const fakeFetch = (async (_url: string, init: { body: string }) => {
      sent.push(JSON.parse(init.body));
      return new Response(null, { status: 200 });
    }) as unknown as typeof fetch;
    const handler = makeHandler(() => deps, fakeFetch);
    const withName = (type: 'Create' | 'Update', name: string, oldName?: string) => {
      const e = cfnEvent(type) as any;
      e.ResourceProperties = { ...e.ResourceProperties, RootOrgName: name };
      if (type === 'Update') e.OldResourceProperties = { ServiceToken: 'x', RootOrgId: 'fed', RootOrgName: oldName };
      return e as CloudFormationCustomResourceEvent;
    };

    await handler(withName('Create', ' 北京市总工会 '));
    expect(await deps.orgs.get('fed')).toMatchObject({ name: '北京市总工会', kind: 'federation' });
    // Staff rename it by PATCH; an Update with the same configured name (another change to the stack) keeps that.
    expect(
      (
        await invoke('patchOrg', {
          params: { id: 'fed' },
          body: { name: '北京市总工会（试点）' },
          claims: { ...fed, org: 'fed' },
          deps: { config },
        })
      ).status,
    ).toBe(200);
    await handler(withName('Update', '北京市总工会', '北京市总工会'));
    expect((await deps.orgs.get('fed'))?.name).toBe('北京市总工会（试点）');
    // The configured name changed: the root takes it.
    await handler(withName('Update', '天津市总工会', '北京市总工会'));
    expect((await deps.orgs.get('fed'))?.name).toBe('天津市总工会');
    // A name the free-text rule refuses is FAILED, and the root keeps its name.
    await handler(withName('Update', '天津\u202E市总工会', '天津市总工会'));
    expect((await deps.orgs.get('fed'))?.name).toBe('天津市总工会');
    expect(sent.map((s) => s.Status)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS', 'FAILED']);
    expect(sent[3]!.Reason).toContain('text-direction');
  });

  it('the local stack creates the root with the configured name', async () => {
    const tableName = `huzhu-fresh-${ulid().toLowerCase()}`;
    const deps = buildDeps({ config: { ...loadConfig(), tableName } });
    await bootstrapStore(deps.ddb, tableName, 'loc', new Date('2026-03-01T00:00:00Z'), '上海市总工会');
    expect(await deps.orgs.get('loc')).toMatchObject({ id: 'loc', name: '上海市总工会', kind: 'federation', path: ['loc'] });
    // Bootstrapping again (every npm start) leaves an existing root as it is.
    await bootstrapStore(deps.ddb, tableName, 'loc', new Date('2026-03-02T00:00:00Z'), '另一个名字');
    expect((await deps.orgs.get('loc'))?.name).toBe('上海市总工会');
  });

  it('reads ROOT_ORG_NAME before cdk.json, and refuses a name the free-text rule refuses', () => {
    const saved = process.env[ENV.rootOrgName];
    try {
      delete process.env[ENV.rootOrgName];
      expect(localRootOrgName()).toBe('总工会'); // cdk.json's huzhu:rootOrgName
      process.env[ENV.rootOrgName] = ' 重庆市总工会 ';
      expect(localRootOrgName()).toBe('重庆市总工会');
      expect(loadConfig().rootOrgName).toBe('重庆市总工会');
      process.env[ENV.rootOrgName] = '总工会\u200B';
      expect(() => localRootOrgName()).toThrow(/huzhu:rootOrgName/);
      expect(() => checkedRootOrgName('x'.repeat(101))).toThrow(/1 to 100/);
      expect(checkedRootOrgName(undefined)).toBe('总工会');
    } finally {
      if (saved === undefined) delete process.env[ENV.rootOrgName];
      else process.env[ENV.rootOrgName] = saved;
    }
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
