import { useState } from 'preact/hooks';
import { api } from '../api';
import { yuan } from '../fmt';
import type { DisclosureList } from '../types';
import { Field, Loading, ProblemBox, useLoad, TableWrap } from '../ui';

/** 公示: paid claims of a plan, for everyone, without sign-in. */
export default ({ args }: { args: string[] }) => {
  const [planId, setPlanId] = useState(args[0] ?? '');
  const [cursor, setCursor] = useState<string | undefined>();
  const list = useLoad(
    () =>
      planId
        ? api<DisclosureList>('GET', `/public/plans/${encodeURIComponent(planId)}/disclosures`, {
            public: true,
            query: { cursor, limit: 100 },
          })
        : Promise.resolve(undefined),
    [planId, cursor],
  );
  return (
    <section>
      <h1>互助金公示</h1>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          const v = new FormData(e.currentTarget).get('planId');
          setCursor(undefined);
          setPlanId(String(v ?? '').trim());
          location.hash = `#/public/${String(v ?? '').trim()}`;
        }}
      >
        <Field label="方案编号" name="planId">
          <input name="planId" defaultValue={planId} required />
        </Field>
        <button type="submit">查看</button>
      </form>
      {list.error ? (
        <ProblemBox error={list.error} />
      ) : !planId ? (
        <p class="hint">请输入方案编号。</p>
      ) : !list.data ? (
        <Loading />
      ) : list.data.items.length === 0 ? (
        <p>这个方案还没有已支付的互助金。</p>
      ) : (
        <>
          <TableWrap>
            <table data-testid="disclosures">
              <thead>
                <tr>
                  <th>编号</th>
                  <th>姓名</th>
                  <th>单位</th>
                  <th>住院月份</th>
                  <th>互助金</th>
                  <th>支付日期</th>
                </tr>
              </thead>
              <tbody>
                {list.data.items.map((d) => (
                  <tr key={d.claimRef}>
                    <td>{d.claimRef.slice(0, 8)}</td>
                    <td>{d.memberName}</td>
                    <td>{d.unitName}</td>
                    <td>{d.admissionMonth}</td>
                    <td>{yuan(d.benefitFen)}</td>
                    <td>{d.paidDate}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {list.data.nextCursor && (
            <button type="button" onClick={() => setCursor(list.data?.nextCursor ?? undefined)}>
              下一页
            </button>
          )}
        </>
      )}
    </section>
  );
};
