import { useState } from 'preact/hooks';
import { api, listAll, newKey } from '../api';
import { pct, toFen, yuan } from '../fmt';
import type { PageProps } from '../main';
import type { CreatePlan, Plan } from '../types';
import { Field, formData, Loading, ProblemBox, useAction, useLoad, TableWrap } from '../ui';

const Rules = ({ p }: { p: Plan }) => {
  const b = p.benefit;
  return (
    <dl class="facts">
      <dt>保障期</dt>
      <dd>
        {p.coverageStart} 至 {p.coverageEnd}
      </dd>
      <dt>参保登记期</dt>
      <dd>
        {p.enrolmentOpen} 至 {p.enrolmentClose}
      </dd>
      <dt>每份缴费</dt>
      <dd>
        {yuan(p.contributionPerShareFen)}（续保 {yuan(p.renewalContributionPerShareFen ?? p.contributionPerShareFen)}），最多 {p.maxShares}{' '}
        份
      </dd>
      <dt>观察期</dt>
      <dd>{p.waitingDays} 天</dd>
      <dt>年龄</dt>
      <dd>
        {p.minAge}–{p.maxAge} 岁
      </dd>
      <dt>申请期限</dt>
      <dd>出院（确诊）后 {p.claimDeadlineDays} 天内</dd>
      {p.predecessorPlanId && (
        <>
          <dt>上一期</dt>
          <dd>
            <a href={`#/plans/${p.predecessorPlanId}`}>{p.predecessorPlanId}</a>
          </dd>
        </>
      )}
      {b.kind === 'lump_sum' ? (
        <>
          <dt>类型</dt>
          <dd>一次性给付（重大疾病等）</dd>
          <dt>病种</dt>
          <dd>
            <ul>
              {b.conditions.map((c) => (
                <li key={c.code}>
                  {c.code} {c.name}：每份 {yuan(c.amountPerShareFen)}
                </li>
              ))}
            </ul>
          </dd>
        </>
      ) : (
        <>
          <dt>类型</dt>
          <dd>住院医疗分段补助</dd>
          <dt>起付线</dt>
          <dd>
            {yuan(b.deductibleFen)}（{b.deductibleBasis === 'per_stay' ? '每次住院' : '每个保障期'}）
          </dd>
          <dt>分段比例</dt>
          <dd>
            <ul>
              {b.bands.map((band, i) => (
                <li key={String(i)}>
                  {band.uptoFen === null ? '以上部分' : `至 ${yuan(band.uptoFen)}`}：{pct(band.ratePermille)}
                </li>
              ))}
            </ul>
          </dd>
        </>
      )}
      <dt>每份封顶</dt>
      <dd>{yuan(b.capPerShareFen)}</dd>
    </dl>
  );
};

const fen = (s: string | undefined) => toFen(s ?? '') ?? Number.NaN;

const NewPlan = ({ onMade }: { onMade: (p: Plan) => void }) => {
  const [kind, setKind] = useState<'banded' | 'lump_sum'>('banded');
  const act = useAction();
  const submit = async (e: Event) => {
    const f = formData(e);
    const benefit: CreatePlan['benefit'] =
      kind === 'banded'
        ? {
            kind: 'banded',
            deductibleFen: fen(f.deductible),
            deductibleBasis: f.deductibleBasis as 'per_stay' | 'per_period',
            bands: (f.bands ?? '')
              .split('\n')
              .filter((l) => l.trim())
              .map((l) => {
                const [upto, rate] = l.trim().split(/[\s,，]+/);
                return { uptoFen: upto === '以上' || upto === '-' ? null : fen(upto), ratePermille: Number(rate) };
              }),
            capPerShareFen: fen(f.cap),
          }
        : {
            kind: 'lump_sum',
            conditions: (f.conditions ?? '')
              .split('\n')
              .filter((l) => l.trim())
              .map((l) => {
                const [code, name, amount] = l
                  .trim()
                  .split(/[,，]/)
                  .map((s) => s.trim());
                return { code: code ?? '', name: name ?? '', amountPerShareFen: fen(amount) };
              }),
            capPerShareFen: fen(f.cap),
          };
    const body: CreatePlan = {
      id: f.id ?? '',
      name: f.name ?? '',
      coverageStart: f.coverageStart ?? '',
      coverageEnd: f.coverageEnd ?? '',
      enrolmentOpen: f.enrolmentOpen ?? '',
      enrolmentClose: f.enrolmentClose ?? '',
      contributionPerShareFen: fen(f.price),
      ...(f.renewalPrice ? { renewalContributionPerShareFen: fen(f.renewalPrice) } : {}),
      maxShares: Number(f.maxShares),
      waitingDays: Number(f.waitingDays),
      minAge: Number(f.minAge),
      maxAge: Number(f.maxAge),
      ...(f.predecessorPlanId ? { predecessorPlanId: f.predecessorPlanId } : {}),
      ...(f.minPart ? { minUnitParticipationPermille: Number(f.minPart) } : {}),
      benefit,
      claimDeadlineDays: Number(f.claimDeadlineDays),
    };
    const p = await act.run(() => api<Plan>('POST', '/plans', { body, idempotencyKey: newKey() }));
    if (p) onMade(p);
  };
  const F = (label: string, name: string, props: Record<string, unknown> = {}) => (
    <Field label={label} name={name} error={act.error}>
      <input name={name} {...props} />
    </Field>
  );
  return (
    <form class="card" onSubmit={submit} data-testid="new-plan">
      <h2>新建互助方案</h2>
      <div class="row">
        {F('方案编号', 'id', { required: true })}
        {F('名称', 'name', { required: true })}
        <Field label="类型" name="benefit.kind" error={act.error}>
          <select value={kind} onChange={(e) => setKind(e.currentTarget.value as 'banded')}>
            <option value="banded">住院医疗（分段补助）</option>
            <option value="lump_sum">一次性给付（按病种）</option>
          </select>
        </Field>
      </div>
      <div class="row">
        {F('保障开始', 'coverageStart', { type: 'date', required: true })}
        {F('保障结束', 'coverageEnd', { type: 'date', required: true })}
        {F('登记开始', 'enrolmentOpen', { type: 'date', required: true })}
        {F('登记截止', 'enrolmentClose', { type: 'date', required: true })}
      </div>
      <div class="row">
        {F('每份缴费（元）', 'contributionPerShareFen', { name: 'price', required: true, inputmode: 'decimal' })}
        {F('续保每份（元，可空）', 'renewalContributionPerShareFen', { name: 'renewalPrice', inputmode: 'decimal' })}
        {F('最多份数', 'maxShares', { type: 'number', min: 1, defaultValue: '1' })}
        {F('观察期（天）', 'waitingDays', { type: 'number', min: 0, defaultValue: '90' })}
        {F('最小年龄', 'minAge', { type: 'number', defaultValue: '16' })}
        {F('最大年龄', 'maxAge', { type: 'number', defaultValue: '65' })}
        {F('申请期限（天）', 'claimDeadlineDays', { type: 'number', defaultValue: '180' })}
        {F('上一期方案编号（可空）', 'predecessorPlanId')}
        {F('单位最低参保率‰（可空）', 'minUnitParticipationPermille', { name: 'minPart', type: 'number' })}
      </div>
      {kind === 'banded' ? (
        <div class="row">
          {F('起付线（元）', 'benefit.deductibleFen', { name: 'deductible', defaultValue: '0' })}
          <Field label="起付线计算" name="benefit.deductibleBasis" error={act.error}>
            <select name="deductibleBasis">
              <option value="per_stay">每次住院</option>
              <option value="per_period">每个保障期</option>
            </select>
          </Field>
          <Field label="分段：每行“至多少元 比例‰”，最后一行“以上 比例‰”" name="benefit.bands" error={act.error}>
            <textarea name="bands" rows={3} defaultValue={'10000 500\n以上 700'} />
          </Field>
          {F('每份封顶（元）', 'benefit.capPerShareFen', { name: 'cap', required: true })}
        </div>
      ) : (
        <div class="row">
          <Field label="病种：每行“代码,名称,每份金额（元）”" name="benefit.conditions" error={act.error}>
            <textarea name="conditions" rows={4} />
          </Field>
          {F('每份封顶（元）', 'benefit.capPerShareFen', { name: 'cap', required: true })}
        </div>
      )}
      <ProblemBox error={act.error} />
      <button type="submit" disabled={act.busy}>
        建立方案
      </button>
    </form>
  );
};

export default ({ session, args }: PageProps) => {
  const id = args[0];
  const plans = useLoad(() => listAll<Plan>('/plans'), []);
  const one = useLoad(() => (id ? api<Plan>('GET', `/plans/${encodeURIComponent(id)}`) : Promise.resolve(undefined)), [id]);
  if (id)
    return (
      <section>
        <p>
          <a href="#/plans">‹ 全部方案</a>
        </p>
        {one.error ? (
          <ProblemBox error={one.error} />
        ) : !one.data ? (
          <Loading />
        ) : (
          <>
            <h1>{one.data.name}</h1>
            <Rules p={one.data} />
            <p>
              <a href={`#/public/${one.data.id}`}>本方案的互助金公示</a>
              {session.role === 'federation_admin' && one.data.benefit.kind !== 'lump_sum' && (
                <>
                  {' '}
                  · <a href={`#/simulation/${one.data.id}`}>测算新规则</a>
                </>
              )}
            </p>
          </>
        )}
      </section>
    );
  return (
    <section>
      <h1>互助方案</h1>
      {plans.error ? (
        <ProblemBox error={plans.error} />
      ) : !plans.data ? (
        <Loading />
      ) : (
        <TableWrap>
          <table data-testid="plans">
            <thead>
              <tr>
                <th>编号</th>
                <th>名称</th>
                <th>类型</th>
                <th>保障期</th>
                <th>每份缴费</th>
              </tr>
            </thead>
            <tbody>
              {plans.data.map((p) => (
                <tr key={p.id}>
                  <td>
                    <a href={`#/plans/${p.id}`}>{p.id}</a>
                  </td>
                  <td>{p.name}</td>
                  <td>{p.benefit.kind === 'lump_sum' ? '一次性给付' : '住院分段'}</td>
                  <td>
                    {p.coverageStart} 至 {p.coverageEnd}
                  </td>
                  <td>{yuan(p.contributionPerShareFen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      {session.role === 'federation_admin' && <NewPlan onMade={(p) => (location.hash = `#/plans/${p.id}`)} />}
    </section>
  );
};
