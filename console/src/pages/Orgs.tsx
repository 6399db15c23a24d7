import { api, listAll, newKey } from '../api';
import type { PageProps } from '../main';
import { ORG_KIND, shanghaiToday } from '../fmt';
import type { CreateOrg, Org, Target } from '../types';
import { Field, formData, Loading, ProblemBox, useAction, useLoad, TableWrap } from '../ui';

/** One org: its path, children, and (for its parent's staff) its target; create children below it. */
export default ({ session, args }: PageProps) => {
  const id = args[0] ?? session.org;
  const org = useLoad(() => api<Org>('GET', `/orgs/${encodeURIComponent(id)}`), [id]);
  const children = useLoad(() => listAll<Org>(`/orgs/${encodeURIComponent(id)}/children`), [id]);
  const create = useAction();
  const target = useAction();
  const rename = useAction();
  const year = Number(shanghaiToday().slice(0, 4));

  if (org.error) return <ProblemBox error={org.error} />;
  if (!org.data) return <Loading />;
  const o = org.data;
  const canCreate = o.kind !== 'unit' && session.role !== 'unit_admin';
  const canTarget = session.role !== 'unit_admin' && o.id !== session.org;

  const onCreate = async (e: Event) => {
    const f = formData(e);
    const body: CreateOrg = { id: f.id ?? '', name: f.name ?? '', kind: f.kind as CreateOrg['kind'], parentId: o.id };
    if (f.headcount) body.headcount = Number(f.headcount);
    const made = await create.run(() => api<Org>('POST', '/orgs', { body, idempotencyKey: newKey() }));
    if (made) {
      (e.target as HTMLFormElement).reset();
      children.reload();
    }
  };
  const onTarget = async (e: Event) => {
    const f = formData(e);
    await target.run(() =>
      api<Target>('PUT', `/orgs/${encodeURIComponent(o.id)}/targets/${f.year}`, { body: { enrolmentTarget: Number(f.enrolmentTarget) } }),
    );
  };
  const onRename = async (e: Event) => {
    const f = formData(e);
    const body: Record<string, unknown> = { name: f.name };
    if (o.kind === 'unit') body.headcount = Number(f.headcount);
    const r = await rename.run(() => api<Org>('PATCH', `/orgs/${encodeURIComponent(o.id)}`, { body }));
    if (r) org.setData(r);
  };

  return (
    <section>
      <p class="crumbs">
        {o.path.map((p, i) => (
          <span key={p}>
            {i > 0 && ' › '}
            <a href={`#/orgs/${p}`}>{p}</a>
          </span>
        ))}
      </p>
      <h1>
        {o.name} <small>{ORG_KIND[o.kind]}</small>
      </h1>
      <p>
        编号 {o.id}
        {o.headcount !== null && <> · 职工总数 {o.headcount} 人</>}
        {o.kind === 'unit' && (
          <>
            {' '}
            · <a href={`#/members?unitId=${o.id}`}>会员名单</a> · <a href={`#/rosters?unitId=${o.id}`}>上传名单</a>
          </>
        )}
      </p>
      {session.role !== 'unit_admin' && (
        <details>
          <summary>修改名称{o.kind === 'unit' && '或职工总数'}</summary>
          <form class="card" onSubmit={onRename}>
            <Field label="名称" name="name" error={rename.error}>
              <input name="name" defaultValue={o.name} required />
            </Field>
            {o.kind === 'unit' && (
              <Field label="职工总数" name="headcount" error={rename.error}>
                <input name="headcount" type="number" min={0} defaultValue={String(o.headcount ?? 0)} />
              </Field>
            )}
            <ProblemBox error={rename.error} shown={['name', 'headcount']} />
            <button type="submit" disabled={rename.busy}>
              保存
            </button>
          </form>
        </details>
      )}
      {canTarget && (
        <form class="card" onSubmit={onTarget} data-testid="target-form">
          <h2>下达目标</h2>
          <div class="row">
            <Field label="年度" name="year" error={target.error}>
              <input name="year" type="number" defaultValue={String(year)} min={2000} max={2099} />
            </Field>
            <Field label="参保目标（人次）" name="enrolmentTarget" error={target.error}>
              <input name="enrolmentTarget" type="number" min={0} required />
            </Field>
          </div>
          <ProblemBox error={target.error} shown={['enrolmentTarget']} />
          <button type="submit" disabled={target.busy}>
            保存目标
          </button>
        </form>
      )}
      {o.kind !== 'unit' && (
        <>
          <h2>下级组织</h2>
          {children.error ? (
            <ProblemBox error={children.error} />
          ) : !children.data ? (
            <Loading />
          ) : children.data.length === 0 ? (
            <p class="hint">还没有下级组织。</p>
          ) : (
            <TableWrap>
              <table data-testid="children">
                <thead>
                  <tr>
                    <th>编号</th>
                    <th>名称</th>
                    <th>类型</th>
                    <th>职工总数</th>
                  </tr>
                </thead>
                <tbody>
                  {children.data.map((c) => (
                    <tr key={c.id}>
                      <td>
                        <a href={`#/orgs/${c.id}`}>{c.id}</a>
                      </td>
                      <td>{c.name}</td>
                      <td>{ORG_KIND[c.kind]}</td>
                      <td>{c.headcount ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </>
      )}
      {canCreate && (
        <form class="card" onSubmit={onCreate} data-testid="create-org">
          <h2>新建下级组织</h2>
          <div class="row">
            <Field label="编号（字母、数字、连字符）" name="id" error={create.error}>
              <input name="id" required pattern="[A-Za-z0-9][A-Za-z0-9-]{1,39}" />
            </Field>
            <Field label="名称" name="name" error={create.error}>
              <input name="name" required />
            </Field>
            <Field label="类型" name="kind" error={create.error}>
              <select name="kind">
                <option value="unit">基层单位</option>
                <option value="office">办事处</option>
                <option value="agency">代办点</option>
              </select>
            </Field>
            <Field label="职工总数（基层单位必填）" name="headcount" error={create.error}>
              <input name="headcount" type="number" min={0} />
            </Field>
          </div>
          <ProblemBox error={create.error} shown={['id', 'name', 'kind', 'headcount']} />
          <button type="submit" disabled={create.busy}>
            新建
          </button>
        </form>
      )}
    </section>
  );
};
