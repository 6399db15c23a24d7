import { useState } from 'preact/hooks';
import { api, listAll, newKey } from '../api';
import { shanghaiToday, yuan } from '../fmt';
import type { PageProps } from '../main';
import type { Payment } from '../types';
import { Field, formData, Loading, ProblemBox, useAction, useLoad, TableWrap } from '../ui';
import type { ClaimView } from './Claims';

/** Federation staff pay approved claims in one batch (all or nothing, SPEC §4.4). */
export default ({ session }: PageProps) => {
  const approved = useLoad(() => listAll<ClaimView>('/claims', { orgId: session.org, status: 'approved' }, 500), [session.org]);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<Payment | null>(null);
  const act = useAction();
  const find = useAction();
  const [found, setFound] = useState<Payment | null>(null);
  const total = (approved.data ?? []).filter((c) => picked.has(c.claimId)).reduce((s, c) => s + (c.approvedBenefitFen ?? 0), 0);
  const toggle = (id: string) =>
    setPicked((p) => {
      const n = new Set(p);
      if (n.has(id)) n.delete(id);
      else n.add(id);
      return n;
    });
  const pay = async (e: Event) => {
    const f = formData(e);
    const p = await act.run(() =>
      api<Payment>('POST', '/payments', {
        body: { claimIds: [...picked], paidDate: f.paidDate ?? '', reference: f.reference ?? '' },
        idempotencyKey: newKey(),
      }),
    );
    if (p) {
      setDone(p);
      setPicked(new Set());
      approved.reload();
    }
  };
  const lookup = async (e: Event) => {
    const f = formData(e);
    const p = await find.run(() => api<Payment>('GET', `/payments/${encodeURIComponent(f.paymentId ?? '')}`));
    if (p) setFound(p);
  };
  return (
    <section>
      <h1>支付互助金</h1>
      {done && (
        <p class="ok" data-testid="payment-done">
          已支付 {done.claimIds.length} 笔，共 {yuan(done.totalFen)}（批次 {done.paymentId}）。
        </p>
      )}
      {approved.error ? (
        <ProblemBox error={approved.error} />
      ) : !approved.data ? (
        <Loading />
      ) : approved.data.length === 0 ? (
        <p class="hint">没有待支付的申请。</p>
      ) : (
        <form class="card" onSubmit={pay} data-testid="payment-form">
          <TableWrap>
            <table>
              <thead>
                <tr>
                  <th>
                    <input
                      type="checkbox"
                      aria-label="全选"
                      checked={picked.size === approved.data.length}
                      onChange={(e) => setPicked(new Set(e.currentTarget.checked ? approved.data!.map((c) => c.claimId) : []))}
                    />
                  </th>
                  <th>会员</th>
                  <th>单位</th>
                  <th>核准金额</th>
                </tr>
              </thead>
              <tbody>
                {approved.data.map((c) => (
                  <tr key={c.claimId}>
                    <td>
                      <input type="checkbox" checked={picked.has(c.claimId)} onChange={() => toggle(c.claimId)} aria-label="选中" />
                    </td>
                    <td>
                      <a href={`#/claims/${c.claimId}`}>{c.memberName}</a>
                    </td>
                    <td>{c.unitId}</td>
                    <td>{yuan(c.approvedBenefitFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <div class="row">
            <Field label="支付日期" name="paidDate" error={act.error}>
              <input type="date" name="paidDate" defaultValue={shanghaiToday()} max={shanghaiToday()} required />
            </Field>
            <Field label="银行流水号/凭证号" name="reference" error={act.error}>
              <input name="reference" required />
            </Field>
          </div>
          <ProblemBox error={act.error} shown={['paidDate', 'reference']} />
          <button type="submit" disabled={act.busy || picked.size === 0}>
            支付选中的 {picked.size} 笔，共 {yuan(total)}
          </button>
        </form>
      )}
      <form class="card" onSubmit={lookup}>
        <h2>查询支付批次</h2>
        <Field label="批次编号" name="paymentId" error={find.error}>
          <input name="paymentId" required />
        </Field>
        <ProblemBox error={find.error} shown={['paymentId']} />
        <button type="submit" disabled={find.busy}>
          查询
        </button>
        {found && (
          <p>
            {found.paidDate} · {found.reference} · {found.claimIds.length} 笔 · {yuan(found.totalFen)} ·{' '}
            {found.status === 'completed' ? '已完成' : found.status === 'pending' ? '处理中' : '已取消'}
          </p>
        )}
      </form>
    </section>
  );
};
