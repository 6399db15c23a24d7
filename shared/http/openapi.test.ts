import { createConfig, lintFromString } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi';
import { routeEntries } from './routes';

/** The document as an integrator's tools read it: Redocly's recommended rules, and what SPEC §3 asks of it. */
describe('OpenAPI document', () => {
  const doc = openApiDocument() as any;

  it('passes Redocly lint (recommended rules) with no errors or warnings', async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} at ${p.location[0]?.pointer}`)).toEqual([]);
  }, 30_000);

  it('public operations say security: [], the others need the Cognito ID token', () => {
    for (const [name, r] of routeEntries) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      expect(op.security, name).toEqual(r.auth ? [{ cognitoIdToken: [] }] : []);
    }
    expect(doc.components.securitySchemes.cognitoIdToken.description).toMatch(/ID token/);
  });

  it('declares Retry-After on 503, Location on 201, and API Gateway’s own 401 and 429 bodies', () => {
    for (const [name, r] of routeEntries) {
      const op = doc.paths[r.path][r.method.toLowerCase()];
      if (op.responses['503']) expect(op.responses['503'].headers?.['Retry-After'], name).toBeDefined();
      if (op.responses['201']) expect(op.responses['201'].headers?.Location, name).toBeDefined();
      if (r.auth) expect(op.responses['401'].content['application/json'].schema.$ref, name).toBe('#/components/schemas/GatewayMessage');
      expect(op.responses['429'], name).toBeDefined();
    }
    expect(doc.paths['/openapi.json'].get.responses['200'].content['application/json']).toBeDefined();
  });

  it('types roster rows (required idNumber and name) although rows are judged one by one at run time', () => {
    const row = doc.components.schemas.RosterRow;
    expect(row.required).toEqual(['idNumber', 'name']);
    expect(row.properties.idNumber.type).toBe('string');
    expect(row.properties.shares.type).toBe('integer');
  });

  it('types co-funding, the renewal price and the participation minimum (SPEC §4.2, §4.3)', () => {
    const s = doc.components.schemas;
    const perShare = { type: 'integer', minimum: 0 };
    expect(s.FundingPerShare.properties.administrationPerShareFen).toMatchObject(perShare);
    expect(s.FundingPerShare.properties.unionPerShareFen).toMatchObject(perShare);
    expect(s.FundingPerShare.additionalProperties).toBe(false);
    expect(s.EnrolRoster.properties.funding.$ref).toBe('#/components/schemas/FundingPerShare');
    expect(s.CreateRosterImport.properties.funding.$ref).toBe('#/components/schemas/FundingPerShare');
    expect(s.Funding.required).toEqual(['administrationFen', 'unionFen', 'workerFen']);
    expect(s.Enrolment.required).toContain('funding');
    for (const plan of [s.CreatePlan, s.Plan]) {
      expect(plan.properties.renewalContributionPerShareFen.type).toBe('integer');
      expect(plan.properties.minUnitParticipationPermille).toMatchObject({ type: 'integer', minimum: 0, maximum: 1000 });
    }
    const query = doc.paths['/units/{unitId}/enrolments'].post.parameters.filter((p: any) => p.in === 'query').map((p: any) => p.name);
    expect(query).toEqual(expect.arrayContaining(['planId', 'administrationPerShareFen', 'unionPerShareFen']));
  });
});
