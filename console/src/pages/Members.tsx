import { useState } from 'preact/hooks';
import { api, listAll } from '../api';
import { when, yuan } from '../fmt';
import type { PageProps } from '../main';
import type { Enrolment, Plan } from '../types';
import { Field, formData, hashQuery, Loading, MoreRows, ProblemBox, TableWrap, useAction, useLoad, usePaged } from '../ui';

/** §4.3 as issue 17 adds it: status may be `cancelled`, and every correction is in `history`. */
type EnrolmentView = Omit<Enrolment, 'status'> & {
  status: string;
  phoneMasked?: string;
  history?: { at: string; actor: string; role: string; action: string; note?: string }[];
};
interface LookupItem {
  enrolmentId: string;
  planId: string;
  unitId: string;
  status: string;
  name?: string;
  capFen?: number;
  usedFen: number;
  remainingFen: number;
}

const STATUS: Record<string, string> = { active: '有效', cancelled: '已注销' };
const ACTION: Record<string, string> = { corrected: '更正信息', cancelled: '注销', transferred: '调动单位', enrolled: '登记' };
/** A correction's note lists the fields changed by their API names (never their values): shown in Chinese. */
const FIELD: Record<string, string> = { name: '姓名', phone: '手机号', shares: '份数', idNumber: '身份证号' };
const noteOf = (h: { action: string; note?: string }) =>
  h.note && h.action === 'corrected'
    ? h.note
        .split(/,\s*/)
        .map((f) => FIELD[f] ?? f)
        .join('、')
    : h.note;

const EnrolmentPage = ({ id }: { id: string }) => {
  const e = useLoad(() => api<EnrolmentView>('GET', `/enrolments/${encodeURIComponent(id)}`), [id]);
  const fix = useAction();
  const cancel = useAction();
  if (e.error) return <ProblemBox error={e.error} />;
  if (!e.data) return <Loading />;
  const m = e.data;
  const onFix = async (ev: Event) => {
    const f = formData(ev);
    const body: Record<string, string> = {};
    if (f.name && f.name !== m.name) body.name = f.name;
    if (f.phone) body.phone = f.phone;
    const r = await fix.run(() => api<EnrolmentView>('PATCH', `/enrolments/${id}`, { body }));
    if (r) e.setData(r);
  };
  const onCancel = async (ev: Event) => {
    const f = formData(ev);
    if (!confirm('确定注销这条参保登记吗？缴费将退回，之后可以重新登记。')) return;
    const r = await cancel.run(() => api<EnrolmentView>('POST', `/enrolments/${id}/cancel`, { body: { reason: f.reason } }));
    if (r) e.setData(r);
  };
  const usedPermille = m.capFen ? Math.min(1000, Math.floor((m.usedFen * 1000) / m.capFen)) : 0;
  return (
    <section>
      <h1>
        {m.name} <small>{m.idNumberMasked}</small>
      </h1>
      <dl class="facts" data-testid="enrolment">
        <dt>状态</dt>
        <dd>{STATUS[m.status] ?? m.status}</dd>
        <dt>方案</dt>
        <dd>
          <a href={`#/plans/${m.planId}`}>{m.planId}</a>
        </dd>
        <dt>单位</dt>
        <dd>
          <a href={`#/orgs/${m.unitId}`}>{m.unitId}</a>
        </dd>
        <dt>份数 / 缴费</dt>
        <dd>
          {m.shares} 份 / {yuan(m.contributionFen)}（行政 {yuan(m.funding.administrationFen)}，工会 {yuan(m.funding.unionFen)}，个人{' '}
          {yuan(m.funding.workerFen)}）
        </dd>
        <dt>登记日期</dt>
        <dd>
          {m.enrolledDate}
          {m.renewal && '（续保）'}
        </dd>
        <dt>疾病保障起始</dt>
        <dd>{m.benefitStartDate}</dd>
        <dt>意外保障起始</dt>
        <dd>{m.accidentBenefitStartDate}</dd>
        <dt>封顶 / 已用 / 剩余</dt>
        <dd>
          {yuan(m.capFen)} / {yuan(m.usedFen)} / <strong>{yuan(m.remainingFen)}</strong>
          <div class="meter">
            <div style={{ width: `${usedPermille / 10}%` }} />
          </div>
        </dd>
      </dl>
      <p>
        <a class="button" href={`#/claims/new?enrolmentId=${m.enrolmentId}`}>
          为此会员申请互助金
        </a>
      </p>
      {m.status === 'active' && (
        <>
          <form class="card" onSubmit={onFix}>
            <h2>更正录入错误</h2>
            <div class="row">
              <Field label="姓名" name="name" error={fix.error}>
                <input name="name" defaultValue={m.name} />
              </Field>
              <Field label="手机号（不改可空）" name="phone" error={fix.error}>
                <input name="phone" inputMode="tel" />
              </Field>
            </div>
            <ProblemBox error={fix.error} shown={['name', 'phone']} />
            <button type="submit" disabled={fix.busy}>
              保存更正
            </button>
          </form>
          <form class="card" onSubmit={onCancel}>
            <h2>注销误登记</h2>
            <p class="hint">仅限保障开始前、且没有申请过互助金的登记。</p>
            <Field label="原因" name="reason" error={cancel.error}>
              <input name="reason" required />
            </Field>
            <ProblemBox error={cancel.error} shown={['reason']} />
            <button type="submit" class="danger" disabled={cancel.busy}>
              注销
            </button>
          </form>
        </>
      )}
      {m.history && m.history.length > 0 && (
        <>
          <h2>变更记录</h2>
          <ul class="history">
            {m.history.map((h) => (
              <li key={h.at + h.action}>
                {when(h.at)} {ACTION[h.action] ?? h.action}（{h.actor}）{h.note && `：${noteOf(h)}`}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
};

export default ({ session, args }: PageProps) => {
  const isEnrolment = location.hash.startsWith('#/enrolments/');
  const [unitId, setUnitId] = useState(hashQuery().get('unitId') ?? (session.role === 'unit_admin' ? session.org : ''));
  const [planId, setPlanId] = useState('');
  const plans = useLoad(() => listAll<Plan>('/plans'), []);
  // A unit may have thousands of members: a page at a time, with how many are shown and a button for more.
  const list = usePaged<Enrolment>(unitId ? `/units/${encodeURIComponent(unitId)}/enrolments` : null, { planId: planId || undefined });
  const planName = new Map((plans.data ?? []).map((p) => [p.id, p.name]));
  const lookup = useAction();
  const [found, setFound] = useState<LookupItem[] | null>(null);
  if (isEnrolment && args[0]) return <EnrolmentPage id={args[0]} />;

  const onLookup = async (e: Event) => {
    const f = formData(e);
    // The ID number travels in the body, never in a URL (SPEC §3).
    const r = await lookup.run(() => api<{ items: LookupItem[] }>('POST', '/enrolments/lookup', { body: { idNumber: f.idNumber } }));
    if (r) setFound(r.items);
  };
  return (
    <section>
      <h1>会员查询</h1>
      <form class="card" onSubmit={onLookup} data-testid="lookup">
        <h2>按身份证号查找</h2>
        <Field label="身份证号" name="idNumber" error={lookup.error}>
          <input name="idNumber" required autoComplete="off" maxLength={18} />
        </Field>
        <ProblemBox error={lookup.error} shown={['idNumber']} />
        <button type="submit" disabled={lookup.busy}>
          查找
        </button>
        {found && (found.length === 0 ? <p>在您的管理范围内没有找到这个人的参保记录。</p> : null)}
        {found && found.length > 0 && (
          <ul>
            {found.map((i) => (
              <li key={i.enrolmentId}>
                <a href={`#/enrolments/${i.enrolmentId}`}>
                  {i.name ?? ''} {i.planId} · {i.unitId}
                </a>{' '}
                {STATUS[i.status] ?? i.status} · 已用 {yuan(i.usedFen)} · 剩余 {yuan(i.remainingFen)}
              </li>
            ))}
          </ul>
        )}
      </form>
      <h2>单位会员名单</h2>
      <div class="row">
        <Field label="基层单位编号" name="unitId">
          <input value={unitId} onChange={(e) => setUnitId(e.currentTarget.value.trim())} />
        </Field>
        <Field label="方案" name="planId">
          <select value={planId} onChange={(e) => setPlanId(e.currentTarget.value)}>
            <option value="">全部</option>
            {(plans.data ?? []).map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {list.error ? (
        <ProblemBox error={list.error} />
      ) : !unitId ? (
        <p class="hint">填写单位编号后显示名单。</p>
      ) : !list.items ? (
        <Loading />
      ) : (
        <>
          <TableWrap>
            <table data-testid="members">
              <thead>
                <tr>
                  <th>姓名</th>
                  <th>身份证号</th>
                  <th>方案</th>
                  <th>份数</th>
                  <th>状态</th>
                  <th>剩余额度</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((m) => (
                  <tr key={m.enrolmentId}>
                    <td>
                      <a href={`#/enrolments/${m.enrolmentId}`}>{m.name}</a>
                    </td>
                    <td>{m.idNumberMasked}</td>
                    <td>{planName.get(m.planId) ?? m.planId}</td>
                    <td>{m.shares}</td>
                    <td>{STATUS[m.status] ?? m.status}</td>
                    <td>{yuan(m.remainingFen)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          <MoreRows list={list} unit="人" />
        </>
      )}
    </section>
  );
};
