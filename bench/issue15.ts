import { type ApprovalBenchResult, APPROVAL_RATIO_GOAL, renderApprovals } from './approvals';
import type { EnrolResults } from './enrolment';
import { RENEWING_SHARE } from './fixtures';
import type { MachineInfo } from './machine';
import { ratioLines, writerTable } from './report';
import { fmt } from './stats';

/** Issue 15's goal for co-funded, partly renewing rosters: the app's writes at least this share of raw transactions, on disk. */
export const RENEWAL_ENROL_GOAL = 0.9;

const BEGIN = '<!-- issue15:begin -->';
const END = '<!-- issue15:end -->';

/** Puts the section between its markers (replacing an earlier one), or at the end of the file. */
export const replaceSection = (md: string, section: string): string => {
  const block = `${BEGIN}\n${section}\n${END}`;
  const a = md.indexOf(BEGIN);
  const b = md.indexOf(END);
  if (a >= 0 && b > a) return `${md.slice(0, a)}${block}${md.slice(b + END.length)}`;
  return `${md.trimEnd()}\n\n${block}\n`;
};

/**
 * `npm run bench -- --issue15`: only the sections issue 15 added, on one on-disk DynamoDB Local — enrolment
 * with co-funding and renewal prices, lump-sum approvals, and banded approvals in the same run as the reference.
 */
export const renderIssue15 = (r: {
  machine: MachineInfo;
  limits: { enrol: { rows: number; perRequest: number } };
  enrol: EnrolResults;
  approvals: ApprovalBenchResult;
  lumpSum: ApprovalBenchResult;
}): string => {
  const m = r.machine;
  const e = r.enrol;
  const repoVsTx = e.repo.rowsPerSec / e.tx.rowsPerSec;
  const apiVsTx = e.api.rowsPerSec / e.tx.rowsPerSec;
  const txread = e.txread;
  const verdict = (x: number, goal: number) => (x >= goal ? 'met' : '**not met**');
  return [
    '## 10. Issue 15: co-funded enrolment with renewals, and lump-sum approvals (a separate, partial run)',
    '',
    `Run ${m.date} with \`npm run bench -- --issue15\` on ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM; Node ${m.node}; ${m.java}; ${m.os}. ` +
      '**DynamoDB Local on disk** (as `npm start` runs it), one stack, only these sections. ' +
      'Both sides of each ratio were measured interleaved in the same seconds, which is what keeps the ratios comparable.',
    '',
    `### 10a. Enrolment: ${fmt(e.api.rows, 0)} members, co-funded, ${Math.round(RENEWING_SHARE * 100)} % renewing`,
    '',
    `API: ${e.api.segmentMs.length} JSON requests of ${fmt(r.limits.enrol.perRequest, 0)} rows (POST /units/{unitId}/enrolments with \`funding\`: 行政 10 元 + 工会 15 元 a share). ` +
      `The plan has a predecessor and a renewal price (40 元 a share instead of 50 元); 3 rows in 10 are people enrolled in the predecessor beforehand, so the handler finds them (it reads the predecessor's enrolments by id), charges the renewal price and counts renewing shares. ` +
      'The app write path and the raw writers write the same items for the same share of renewing rows (renewal flag, price, payer split, counter deltas with sharesNew / sharesRenewal), prepared beforehand on other plans with other people; rounds interleaved (API → repo → tx → tx with look-ups → batch, then reversed).',
    '',
    ...writerTable(e),
    '',
    ...ratioLines(e),
    '',
    `**Against raw transactions** (issue 15's baseline, the same conditional items): app write path / raw TransactWriteItems = **${fmt(repoVsTx, 2)}** (goal ≥ ${RENEWAL_ENROL_GOAL}: ${verdict(repoVsTx, RENEWAL_ENROL_GOAL)}); ` +
      `whole API (HTTP, judging, renewal look-up, HMAC, sealing, writes) / raw TransactWriteItems = **${fmt(apiVsTx, 2)}** (goal ≥ ${RENEWAL_ENROL_GOAL}: ${verdict(apiVsTx, RENEWAL_ENROL_GOAL)}). ` +
      'Counters checked after the API run: enrolled, contributions, the administration and worker parts, new and renewing shares all as expected.',
    '',
    ...(txread
      ? [
          `**Against raw calls doing the same work** (a raw writer that must find out who renews, as the API must, before it can price and count the rows): ` +
            `raw BatchGetItem of each row's predecessor key (99 a call, projected as the app's look-up, 3 in 10 found) + the same TransactWriteItems, chunk by chunk, 4 in flight. ` +
            `Whole API / that = **${fmt(e.api.rowsPerSec / txread.rowsPerSec, 2)}**; the look-ups alone cost the raw writer ${fmt(txread.rowsPerSec / e.tx.rowsPerSec, 2)}× the throughput of raw transactions given the renewal flags beforehand ` +
            `(JVM CPU ${fmt(txread.cpu.jvmMs / 1000, 2)} s against ${fmt(e.tx.cpu.jvmMs / 1000, 2)} s).`,
          '',
        ]
      : []),
    '### 10b. Lump-sum approvals vs raw TransactWriteItems (goal ≥ 0.8)',
    '',
    renderApprovals(r.lumpSum, 'on disk'),
    '',
    '### 10c. Banded approvals in the same run (reference)',
    '',
    renderApprovals(r.approvals, 'on disk'),
    '',
    `Lump-sum API / raw = ${fmt(r.lumpSum.ratio, 2)} against banded API / raw = ${fmt(r.approvals.ratio, 2)} in the same run (goal ≥ ${APPROVAL_RATIO_GOAL} for both).`,
  ].join('\n');
};
