/**
 * `npm run report -- --date YYYY-MM-DD [--org <orgId>]`: runs the nightly
 * report (SPEC §5) against the running local stack with the same code the
 * AWS job runs; without --date, for yesterday (Asia/Shanghai), as the 02:00
 * run would. --org also writes that org's cut. A progress bar on stderr, one
 * summary line on stdout; exit 1 with a one-line message on failure.
 */
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { buildDeps } from '../../shared/deps';
import { isRealDate } from '../../shared/domain/dates';
import { reportCut } from '../../shared/report/cut';
import { generateReport } from '../../shared/report/generate';
import { reportDateFor } from '../../shared/report/schedule';
import { findRunningStack, useRunningStack } from './running';

const fail = (message: string, code = 1): never => {
  console.error(`huzhu report: ${message}`);
  process.exit(code);
};

const { values } = parseArgs({ options: { date: { type: 'string' }, org: { type: 'string' } } });
const date = values.date ?? reportDateFor(new Date().toISOString());
if (!isRealDate(date)) fail('usage: npm run report -- [--date YYYY-MM-DD] [--org <orgId>]', 2);

const stack = findRunningStack();
if (typeof stack === 'string') fail(stack);
const running = stack as Exclude<typeof stack, string>;
useRunningStack(running);
const deps = buildDeps();

const bar = new SingleBar({
  format: 'report {date} [{bar}] {value}/{total} {step}',
  stream: process.stderr,
  hideCursor: true,
  clearOnComplete: true,
});
bar.start(1, 0, { date, step: 'starting' });
try {
  const s = await generateReport(deps, date, (p) => {
    bar.setTotal(p.total);
    bar.update(p.done, { step: p.step });
  });
  let cutNote = '';
  if (values.org) {
    const index = await deps.reports.getIndex(date, true);
    const org = await deps.orgs.get(values.org);
    if (!index || !org) throw new Error(`org ${values.org} not found`);
    const cut = await reportCut(deps, index, org.id);
    cutNote = `; cut for ${org.id} → s3://${running.bucketName}/${cut.files.json.replace(/report\.json$/, '')}`;
  }
  bar.stop();
  const prefix = s.files.json.replace(/report\.json$/, '');
  console.log(
    `report ${s.date}: ${s.plans} plan${s.plans === 1 ? '' : 's'}, ${s.nodes} nodes, 3 files in ${(s.ms / 1000).toFixed(1)} s → s3://${running.bucketName}/${prefix}${cutNote}`,
  );
  process.exit(0);
} catch (e) {
  bar.stop();
  fail(e instanceof Error ? e.message : String(e));
}
