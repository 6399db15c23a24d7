import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../shared/http/logger';
import { createPlan, createTree, fed, marchClock, people } from '../support/fixtures';
import { invoke } from '../support/invoke';

/** Logs are structured JSON with the request id, and never hold ID numbers, names or phones (SPEC §7). */
describe('logs', () => {
  afterEach(() => {
    logger.setLogLevel('SILENT');
    vi.restoreAllMocks();
  });

  it('carry the request id and route, and no personal data', async () => {
    const plan = await createPlan();
    const { units } = await createTree(1);
    const lines: string[] = [];
    const capture = (chunk: unknown) => {
      lines.push(String(chunk));
      return true;
    };
    vi.spyOn(process.stdout, 'write').mockImplementation(capture as never);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture as never);
    // Powertools resets the level to the construction-time one (SILENT under vitest) on every warm invocation
    // (refreshSampleRateCalculation); this test wants to see everything, so that reset is switched off here.
    vi.spyOn(logger, 'refreshSampleRateCalculation').mockImplementation(() => undefined);
    logger.setLogLevel('DEBUG');
    const [p] = people(1);
    const members = [
      { idNumber: p!.idNumber, name: '欧阳娜娜', phone: '13912345678' },
      { idNumber: '110105194912310021', name: '司马光' },
    ];
    const r = await invoke('enrolMembers', {
      params: { unitId: units[0]! },
      body: { planId: plan.id, members },
      claims: fed,
      deps: { clock: marchClock },
    });
    expect(r.status).toBe(200);
    // An error path too: a broken body.
    await invoke('enrolMembers', {
      params: { unitId: units[0]! },
      raw: `{"planId":"${plan.id}","members":[{"idNumber":"${p!.idNumber}"`,
      headers: { 'content-type': 'application/json' },
      claims: fed,
    });
    logger.setLogLevel('SILENT');
    vi.restoreAllMocks();

    const json = lines.flatMap((l) => l.split('\n')).filter((l) => l.trim().startsWith('{'));
    expect(json.length).toBeGreaterThanOrEqual(2);
    const parsed = json.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const entry of parsed) {
      expect(entry.requestId).toEqual(expect.any(String));
      expect(entry.route).toBe('POST /units/{unitId}/enrolments');
    }
    expect(parsed.map((e) => e.status)).toEqual(expect.arrayContaining([200, 400]));
    const all = lines.join('');
    for (const secret of [p!.idNumber, '110105194912310021', '欧阳娜娜', '司马光', '13912345678']) expect(all).not.toContain(secret);
  });
});
