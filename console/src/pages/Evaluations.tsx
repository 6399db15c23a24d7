import { useState } from 'preact/hooks';
import { api, newKey } from '../api';
import { ORG_KIND, pct, shanghaiToday, yuan } from '../fmt';
import type { PageProps } from '../main';
import type { Evaluation, List } from '../types';
import { Field, formData, Loading, ProblemBox, useAction, useLoad, TableWrap } from '../ui';

const STATUS: Record<string, string> = { draft: '草稿', approved: '已批准', paid: '已兑现' };

const One = ({ id, session }: { id: string; session: PageProps['session'] }) => {
  const ev = useLoad(() => api<Evaluation>('GET', `/evaluations/${id}`), [id]);
  const act = useAction();
  if (ev.error) return <ProblemBox error={ev.error} />;
  if (!ev.data) return <Loading />;
  const e = ev.data;
  const approve = async () => {
    const r = await act.run(() => api<Evaluation>('POST', `/evaluations/${id}/approve`));
    if (r) ev.setData(r);
  };
  const payout = async (x: Event) => {
    const f = formData(x);
    const r = await act.run(() =>
      api<Evaluation>('POST', `/evaluations/${id}/payout`, { body: { paidDate: f.paidDate, reference: f.reference } }),
    );
    if (r) ev.setData(r);
  };
  return (
    <section>
      <h1>
        {e.year} 年 {e.checkpointId} 考核 <small>{STATUS[e.status]}</small>
      </h1>
      <p>
        考核日 {e.date}，奖励合计 <strong>{yuan(e.totalRewardFen)}</strong> · <a href={e.links.csv}>下载（CSV）</a>
      </p>
      <p class="hint" data-testid="evaluation-people">
        计算人 {e.createdBy}
        {e.approvedBy && `，批准人 ${e.approvedBy}`}
        {e.paidDate && `；${e.paidDate} 兑现，凭证号 ${e.reference ?? '—'}`}
      </p>
      <ProblemBox error={act.error} shown={['paidDate', 'reference']} />
      {session.role === 'federation_admin' && e.status === 'draft' && (
        <button type="button" disabled={act.busy} onClick={() => void approve()}>
          批准（须由计算人以外的人批准）
        </button>
      )}
      {session.role === 'federation_admin' && e.status === 'approved' && (
        <form class="card" onSubmit={payout}>
          <h2>兑现奖励</h2>
          <div class="row">
            <Field label="兑现日期" name="paidDate" error={act.error}>
              <input type="date" name="paidDate" defaultValue={shanghaiToday()} required />
            </Field>
            <Field label="凭证号" name="reference" error={act.error}>
              <input name="reference" required />
            </Field>
          </div>
          <button type="submit" disabled={act.busy}>
            兑现
          </button>
        </form>
      )}
      <TableWrap>
        <table data-testid="evaluation-rows">
          <thead>
            <tr>
              <th>排名</th>
              <th>组织</th>
              <th>参保/目标</th>
              <th>完成率</th>
              <th>达标</th>
              <th>奖励</th>
            </tr>
          </thead>
          <tbody>
            {e.rows.map((r) => (
              <tr key={r.orgId}>
                <td>{r.rank ?? '—'}</td>
                <td>
                  {r.name}（{ORG_KIND[r.kind]}）
                </td>
                <td>
                  {r.enrolled}/{r.target ?? '—'}
                </td>
                <td>{pct(r.completionPermille)}</td>
                <td>{r.passed ? '是' : '否'}</td>
                <td>{yuan(r.rewardFen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </section>
  );
};

export default ({ session, args }: PageProps) => {
  const [year, setYear] = useState(Number(shanghaiToday().slice(0, 4)));
  const list = useLoad(() => api<List<Evaluation>>('GET', '/evaluations', { query: { year } }), [year]);
  const create = useAction();
  if (args[0]) return <One id={args[0]} session={session} />;
  const onCreate = async (e: Event) => {
    const f = formData(e);
    const r = await create.run(() =>
      api<Evaluation>('POST', '/evaluations', {
        body: { year: Number(f.year), checkpointId: f.checkpointId ?? '' },
        idempotencyKey: newKey(),
      }),
    );
    if (r) location.hash = `#/evaluations/${r.evaluationId}`;
  };
  return (
    <section>
      <h1>考核兑现</h1>
      <Field label="年度" name="year">
        <input type="number" value={year} onChange={(e) => setYear(Number(e.currentTarget.value))} />
      </Field>
      {list.error ? (
        <ProblemBox error={list.error} />
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <p class="hint">这一年还没有考核。</p>
      ) : (
        <ul>
          {list.data.items.map((e) => (
            <li key={e.evaluationId}>
              <a href={`#/evaluations/${e.evaluationId}`}>
                {e.checkpointId}（{e.date}）
              </a>{' '}
              {STATUS[e.status]} · {yuan(e.totalRewardFen)}
            </li>
          ))}
        </ul>
      )}
      {session.role === 'federation_admin' && (
        <form class="card" onSubmit={onCreate}>
          <h2>计算考核</h2>
          <div class="row">
            <Field label="年度" name="year" error={create.error}>
              <input type="number" name="year" defaultValue={String(year)} />
            </Field>
            <Field label="考核节点" name="checkpointId" error={create.error}>
              <input name="checkpointId" defaultValue="half-year" required />
            </Field>
          </div>
          <ProblemBox error={create.error} shown={['year', 'checkpointId']} />
          <button type="submit" disabled={create.busy}>
            计算
          </button>
        </form>
      )}
    </section>
  );
};
