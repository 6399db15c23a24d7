import { describe, expect, it } from 'vitest';
import { assertJava } from '../../infra/local/emulators';
import { buildHttpEvent } from '../../infra/local/event';

describe('npm start without Java', () => {
  it('fails with one line saying how to install it', () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      expect(() => assertJava()).toThrow(/^Java 17\+ is required for DynamoDB Local: install it \(.*openjdk-17-jre-headless.*\)\.$/);
    } finally {
      process.env.PATH = path;
    }
    expect(() => assertJava()).not.toThrow();
  });
});

describe('payload 2.0 events', () => {
  it('look like API Gateway HTTP API events', () => {
    const e = buildHttpEvent({
      method: 'POST',
      routePath: '/units/{unitId}/enrolments',
      rawPath: '/units/u1/enrolments',
      rawQueryString: 'planId=p1&x=1&x=2',
      headers: { 'Content-Type': 'text/csv', Authorization: 'Bearer t' },
      pathParameters: { unitId: 'u1' },
      body: Buffer.from('a,b\n'),
      claims: { sub: 's', role: 'unit_admin', org: 'u1' },
    });
    expect(e.routeKey).toBe('POST /units/{unitId}/enrolments');
    expect(e.requestContext.routeKey).toBe(e.routeKey);
    expect(e.headers['content-type']).toBe('text/csv');
    expect(e.queryStringParameters).toEqual({ planId: 'p1', x: '1,2' });
    expect(e.body).toBe('a,b\n');
    expect(e.isBase64Encoded).toBe(false);
    expect(e.requestContext.authorizer?.jwt.claims).toEqual({ sub: 's', role: 'unit_admin', org: 'u1' });
    const bin = buildHttpEvent({
      method: 'POST',
      routePath: '/x',
      rawPath: '/x',
      headers: { 'content-type': 'application/pdf' },
      body: Buffer.from([0x25, 0x50, 0xff]),
    });
    expect(bin.isBase64Encoded).toBe(true);
    expect(Buffer.from(bin.body!, 'base64')).toEqual(Buffer.from([0x25, 0x50, 0xff]));
  });
});
