import { useState } from 'preact/hooks';
import { api, listAll } from '../api';
import { pct, toFen, yuan } from '../fmt';
import type { PageProps } from '../main';
import type { Plan } from '../types';
import { Field, formData, ProblemBox, useAction, useLoad, TableWrap } from '../ui';

interface Figures {
  contributionsFen: number;
  benefitsFen: number;
  lossRatioPermille: number | null;
  poolFen: number;
  cappedClaims: number;
  alert?: boolean;
}
interface Simulation {
  planId: string;
  enrolments: number;
  claims: number;
  actual: Figures;
  candidate: Figures;
  difference: { contributionsFen: number; benefitsFen: number; lossRatioPermille: number | null };
}

/** §4.6: candidate rules replayed against what really happened, side by side with the actual figures. */
export default ({ args }: PageProps) => {
  const plans = useLoad(() => listAll<Plan>('/plans'), []);
  const [planId, setPlanId] = useState(args[0] ?? '');
  const plan = plans.data?.find((p) => p.id === planId);
  const act = useAction();
  const [sim, setSim] = useState<Simulation | null>(null);
  const banded = plan?.benefit.kind === 'banded' || (plan && plan.benefit.kind !== 'lump_sum') ? plan : undefined;
  const run = async (e: Event) => {
    const f = formData(e);
    const money = (s: string | undefined) => toFen(s ?? '') ?? Number.NaN;
    const body = {
      contributionPerShareFen: money(f.price),
      ...(f.renewal ? { renewalContributionPerShareFen: money(f.renewal) } : {}),
      benefit: {
        kind: 'banded',
        deductibleFen: money(f.deductible),
        deductibleBasis: f.basis,
        bands: (f.bands ?? '')
          .split('\n')
          .filter((l) => l.trim())
          .map((l) => {
            const [upto, rate] = l.trim().split(/[\s,，]+/);
            return { uptoFen: upto === '以上' ? null : money(upto), ratePermille: Number(rate) };
          }),
        capPerShareFen: money(f.cap),
      },
      enrolmentChangePermille: Number(f.change || 0),
    };
    const r = await act.run(() => api<Simulation>('POST', `/plans/${encodeURIComponent(planId)}/simulations`, { body }));
    if (r) setSim(r);
  };
  const b = banded?.benefit.kind === 'lump_sum' ? undefined : banded?.benefit;
  const y = (fen: number) => (fen / 100).toFixed(2);
  return (
    <section>
      <h1>方案测算</h1>
      <Field label="以哪个方案的实际数据测算" name="planId">
        <select value={planId} onChange={(e) => setPlanId(e.currentTarget.value)}>
          <option value="">请选择</option>
          {(plans.data ?? [])
            .filter((p) => p.benefit.kind !== 'lump_sum')
            .map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
        </select>
      </Field>
      {b && banded && (
        <form class="card" onSubmit={run} key={planId}>
          <h2>候选规则</h2>
          <div class="row">
            <Field label="每份缴费（元）" name="contributionPerShareFen" error={act.error}>
              <input name="price" defaultValue={y(banded.contributionPerShareFen)} />
            </Field>
            <Field label="续保每份（元，可空）" name="renewalContributionPerShareFen" error={act.error}>
              <input name="renewal" />
            </Field>
            <Field label="起付线（元）" name="benefit.deductibleFen" error={act.error}>
              <input name="deductible" defaultValue={y(b.deductibleFen)} />
            </Field>
            <Field label="起付线计算" name="benefit.deductibleBasis" error={act.error}>
              <select name="basis" defaultValue={b.deductibleBasis}>
                <option value="per_stay">每次住院</option>
                <option value="per_period">每个保障期</option>
              </select>
            </Field>
            <Field label="分段（每行“至多少元 比例‰”）" name="benefit.bands" error={act.error}>
              <textarea
                name="bands"
                rows={3}
                defaultValue={b.bands.map((x) => `${x.uptoFen === null ? '以上' : y(x.uptoFen)} ${x.ratePermille}`).join('\n')}
              />
            </Field>
            <Field label="每份封顶（元）" name="benefit.capPerShareFen" error={act.error}>
              <input name="cap" defaultValue={y(b.capPerShareFen)} />
            </Field>
            <Field label="参保人次变化（‰，如 -100 表示减少 10%）" name="enrolmentChangePermille" error={act.error}>
              <input name="change" type="number" defaultValue="0" />
            </Field>
          </div>
          <ProblemBox error={act.error} />
          <button type="submit" disabled={act.busy}>
            测算
          </button>
        </form>
      )}
      {sim && (
        <TableWrap>
          <table data-testid="simulation">
            <thead>
              <tr>
                <th />
                <th>实际</th>
                <th>候选规则</th>
                <th>差额</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>缴费</td>
                <td>{yuan(sim.actual.contributionsFen)}</td>
                <td>{yuan(sim.candidate.contributionsFen)}</td>
                <td>{yuan(sim.difference.contributionsFen)}</td>
              </tr>
              <tr>
                <td>互助金</td>
                <td>{yuan(sim.actual.benefitsFen)}</td>
                <td>{yuan(sim.candidate.benefitsFen)}</td>
                <td>{yuan(sim.difference.benefitsFen)}</td>
              </tr>
              <tr>
                <td>赔付率</td>
                <td>{pct(sim.actual.lossRatioPermille)}</td>
                <td class={sim.candidate.alert ? 'alert' : ''}>{pct(sim.candidate.lossRatioPermille)}</td>
                <td>{pct(sim.difference.lossRatioPermille)}</td>
              </tr>
              <tr>
                <td>结余</td>
                <td>{yuan(sim.actual.poolFen)}</td>
                <td>{yuan(sim.candidate.poolFen)}</td>
                <td />
              </tr>
              <tr>
                <td>封顶案件</td>
                <td>{sim.actual.cappedClaims}</td>
                <td>{sim.candidate.cappedClaims}</td>
                <td />
              </tr>
            </tbody>
          </table>
          {sim.candidate.alert && <p class="problem">预警：候选规则下赔付率超过 100%，基金会出现缺口。</p>}
          <p class="hint">
            以 {sim.enrolments} 人次参保、{sim.claims} 笔已核准申请测算。
          </p>
        </TableWrap>
      )}
    </section>
  );
};
