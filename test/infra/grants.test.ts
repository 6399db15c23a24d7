import { readFileSync } from 'node:fs';
import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { HuzhuStack } from '../../infra/stack';
import type { RoutePermissions } from '../../shared/http/route';
import { routeEntries } from '../../shared/http/routes';
import { tableDefinition } from '../../shared/store/table';

/**
 * Every function's IAM grants in the synthesized template are exactly what
 * its route entry declares (`permissions`), as (action, resource) pairs —
 * nothing missing, nothing more — apart from writing its own log group and
 * X-Ray. The expected actions are written out here (SPEC §7 least
 * privilege), not taken from infra/grants.ts, so a grant that widens there
 * turns this red.
 */
const cdkContext = (JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> })
  .context;

type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };

let stack: HuzhuStack;
let template: ReturnType<Template['toJSON']>;
beforeAll(() => {
  const app = new App({ context: { ...cdkContext, 'aws:cdk:bundling-stacks': [] } });
  stack = new HuzhuStack(app, 'Huzhu', { corsOrigins: ['https://huzhu.example.org'], rootOrgId: 'root' });
  template = Template.fromStack(stack).toJSON();
});

const statementsOf = (name: string): Statement[] => {
  const fn = template.Resources[stack.getLogicalId(stack.functions[name]!.node.defaultChild as CfnElement)];
  const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
  const inline = (template.Resources[roleId].Properties.Policies ?? []) as { PolicyDocument: { Statement: Statement[] } }[];
  const attached = Object.values(template.Resources as Record<string, { Type: string; Properties: any }>).filter(
    (r) =>
      r.Type === 'AWS::IAM::Policy' && (r.Properties.Roles as unknown[]).some((x) => JSON.stringify(x) === JSON.stringify({ Ref: roleId })),
  );
  return [...inline, ...attached.map((p) => p.Properties)].flatMap((p) => p.PolicyDocument.Statement as Statement[]);
};

/** "action on resource [if condition]" for every pair a statement allows. */
const pairs = (statements: Statement[]) =>
  statements
    .flatMap((s) => {
      expect(s.Effect).toBe('Allow');
      return [s.Action]
        .flat()
        .flatMap((a) =>
          [s.Resource].flat().map((r) => `${a} on ${JSON.stringify(r)}${s.Condition ? ` if ${JSON.stringify(s.Condition)}` : ''}`),
        );
    })
    .sort();

const expectedPairs = (perms: RoutePermissions): string[] => {
  const r = (token: string) => JSON.stringify(stack.resolve(token));
  const table = r(stack.table.tableArn);
  const indexes = tableDefinition.globalSecondaryIndexes.map((g) => r(`${stack.table.tableArn}/index/${g.indexName}`));
  const kmsIf = ` if ${JSON.stringify({ StringEquals: { 'kms:EncryptionContext:app': 'huzhu', 'kms:EncryptionContext:purpose': 'personal-data' } })}`;
  const out: string[] = [];
  const allow = (actions: string[], resources: string[], suffix = '') => {
    for (const a of actions) for (const res of resources) out.push(`${a} on ${res}${suffix}`);
  };
  if (perms.table) allow(['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'], [table, ...indexes]);
  if (perms.table === 'readwrite')
    allow(['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'], [table]);
  allow(
    ['s3:GetObject'],
    (perms.bucket?.read ?? []).map((p) => r(`${stack.bucket.bucketArn}/${p}*`)),
  );
  allow(
    ['s3:PutObject'],
    (perms.bucket?.write ?? []).map((p) => r(`${stack.bucket.bucketArn}/${p}*`)),
  );
  if (perms.pii?.open) allow(['kms:Decrypt'], [r(stack.piiKey.keyArn)], kmsIf);
  if (perms.pii?.seal) allow(['kms:GenerateDataKey'], [r(stack.piiKey.keyArn)], kmsIf);
  const secret = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'];
  if (perms.pii?.hmac) allow(secret, [r(stack.hmacSecret.secretArn)]);
  if (perms.cursors) allow(secret, [r(stack.cursorSecret.secretArn)]);
  return out.sort();
};

describe('IAM grants = route permissions (SPEC §7)', () => {
  it('each route function is granted exactly what its route entry declares, besides its own logs and X-Ray', () => {
    for (const [name, route] of routeEntries) {
      const fnLogs = template.Resources[stack.getLogicalId(stack.functions[name]!.node.defaultChild as CfnElement)].Properties.LoggingConfig
        .LogGroup.Ref as string;
      const all = statementsOf(name);
      const only = (prefix: string) => (s: Statement) => [s.Action].flat().every((a) => a.startsWith(prefix));
      for (const s of all.filter(only('xray:'))) expect(s.Resource, name).toBe('*');
      for (const s of all.filter(only('logs:'))) expect(s.Resource, name).toEqual({ 'Fn::GetAtt': [fnLogs, 'Arn'] });
      const own = all.filter((s) => !only('xray:')(s) && !only('logs:')(s));
      expect(pairs(own), name).toEqual(expectedPairs(route.permissions));
    }
  });
});
