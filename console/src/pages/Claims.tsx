import { useState } from 'preact/hooks';
import { DOCUMENT_KINDS, MAX_DOCUMENT_BYTES } from '../../../shared/domain/documents';
import { ApiError, api, newKey, uploadPresigned } from '../api';
import { CLAIM_STATUS, DOC_KIND, shanghaiToday, toFen, when, yuan } from '../fmt';
import type { PageProps } from '../main';
import type { Claim, Decision, DocumentUpload, Enrolment, Plan } from '../types';
import { Field, formData, hashQuery, Loading, MoreRows, ProblemBox, Progress, TableWrap, useAction, useLoad, usePaged } from '../ui';

/** A claim as every claim endpoint answers it (SPEC §4.4): who it is for, what it needs, what it holds. */
export type ClaimView = Claim;

const MAGIC: [string, number[]][] = [
  ['application/pdf', [0x25, 0x50, 0x44, 0x46, 0x2d]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
];
const sniff = async (f: Blob): Promise<string | null> => {
  const b = new Uint8Array(await f.slice(0, 8).arrayBuffer());
  return MAGIC.find(([, sig]) => sig.every((x, i) => b[i] === x))?.[0] ?? null;
};

/**
 * A file as the API takes it: PDF, JPEG or PNG up to 10 MiB, judged by its bytes, not its name.
 * A phone photo in another format (HEIC, WebP) or too big is re-encoded as JPEG where the browser can decode it.
 */
export const prepareFile = async (f: File): Promise<{ blob: Blob; type: string; name: string }> => {
  const type = await sniff(f);
  if (type && f.size <= MAX_DOCUMENT_BYTES) return { blob: f, type, name: f.name };
  if (type === 'application/pdf') throw new Error(`“${f.name}”超过 10 MB，请压缩或分开扫描后再上传。`);
  if (!f.type.startsWith('image/') && !type) throw new Error(`“${f.name}”不是 PDF、JPG 或 PNG 文件，请换成这几种格式。`);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(f);
  } catch {
    throw new Error(`“${f.name}”这种图片格式无法识别，请在手机上改存为 JPG 后再上传。`);
  }
  const scale = Math.min(1, 3000 / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(bitmap.width * scale);
  canvas.height = Math.round(bitmap.height * scale);
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/jpeg', 0.85));
  if (!blob || blob.size > MAX_DOCUMENT_BYTES) throw new Error(`“${f.name}”压缩后仍超过 10 MB，请重新拍摄。`);
  return { blob, type: 'image/jpeg', name: `${f.name.replace(/\.[^.]*$/, '')}.jpg` };
};

const Eob = ({ c }: { c: ClaimView }) => (
  <div class="card eob" data-testid="eob">
    <h2>互助金计算说明{c.approvedBenefitFen === undefined ? '（预估）' : ''}</h2>
    <ol>
      {c.benefitBreakdown.lines.map((l, i) => (
        <li key={String(i)}>{l}</li>
      ))}
    </ol>
    <p>
      {c.approvedBenefitFen !== undefined ? '核准金额' : '预估金额'}：<strong>{yuan(c.approvedBenefitFen ?? c.estimatedBenefitFen)}</strong>
    </p>
  </div>
);

interface Upload {
  name: string;
  permille: number;
  error?: string;
}

const Documents = ({ c, onChange }: { c: ClaimView; onChange: () => void }) => {
  const [kind, setKind] = useState<string>(c.kind === 'lump_sum' ? 'diagnosis_certificate' : 'invoice');
  const [uploads, setUploads] = useState<Upload[]>([]);
  const view = useAction();
  const editable = c.status === 'draft' || c.status === 'returned';
  const patch = (i: number, u: Partial<Upload>) => setUploads((all) => all.map((x, j) => (j === i ? { ...x, ...u } : x)));

  const onFiles = async (files: FileList | null) => {
    if (!files) return;
    const list = [...files];
    const start = uploads.length;
    setUploads((u) => [...u, ...list.map((f) => ({ name: f.name, permille: 0 }))]);
    await Promise.all(
      list.map(async (f, k) => {
        const i = start + k;
        try {
          const p = await prepareFile(f);
          const d = await api<DocumentUpload>('POST', `/claims/${c.claimId}/documents`, {
            body: {
              kind: kind as (typeof DOCUMENT_KINDS)[number],
              fileName: p.name,
              contentType: p.type as 'image/jpeg',
              sizeBytes: p.blob.size,
            },
            idempotencyKey: newKey(),
          });
          await uploadPresigned(d.upload, p.blob, (permille) => patch(i, { permille }));
        } catch (e) {
          patch(i, { error: e instanceof ApiError ? e.problem.detail : (e as Error).message });
        }
      }),
    );
    onChange();
  };
  /** A fresh link on every click (links live 5 minutes): never a raw S3 "expired" page. */
  const open = async (documentId: string) => {
    const fresh = await view.run(() => api<ClaimView>('GET', `/claims/${c.claimId}`));
    const url = fresh?.documents.find((d) => d.documentId === documentId)?.downloadUrl;
    if (!url) return;
    // The receipt is served as a download named by its kind and id: the page stays where it is.
    const a = document.createElement('a');
    a.href = url;
    a.rel = 'noopener';
    a.click();
  };
  const remove = async (documentId: string) => {
    await view.run(() => api('DELETE', `/claims/${c.claimId}/documents/${documentId}`));
    onChange();
  };

  return (
    <div class="card" data-testid="documents">
      <h2>申请材料</h2>
      <ul class="required">
        {c.requiredDocuments.map((r) => (
          <li key={r.kind} class={r.uploaded ? 'ok' : 'missing'}>
            {r.uploaded ? '✓' : '✗'} {DOC_KIND[r.kind] ?? r.kind}
            {r.uploaded ? '（已上传）' : '（还缺）'}
          </li>
        ))}
      </ul>
      {c.documents.length > 0 && (
        <table>
          <tbody>
            {c.documents.map((d) => (
              <tr key={d.documentId}>
                <td>{DOC_KIND[d.kind]}</td>
                <td>{d.uploaded === false ? '未上传' : d.frozenAt ? '已核验' : '已上传'}</td>
                <td>
                  {d.uploaded !== false && (
                    <button type="button" class="link" onClick={() => void open(d.documentId)}>
                      查看
                    </button>
                  )}
                  {editable && (
                    <button type="button" class="link" onClick={() => void remove(d.documentId)}>
                      删除
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <ProblemBox error={view.error} />
      {editable && (
        <div class="row">
          <Field label="材料类型" name="kind">
            <select value={kind} onChange={(e) => setKind(e.currentTarget.value)}>
              {DOCUMENT_KINDS.map((k) => (
                <option key={k} value={k}>
                  {DOC_KIND[k]}
                </option>
              ))}
            </select>
          </Field>
          <Field label="选择文件（PDF、JPG、PNG，每个不超过 10 MB；可直接拍照）" name="file">
            <input
              type="file"
              multiple
              accept="application/pdf,image/jpeg,image/png,image/*"
              data-testid="document-file"
              onChange={(e) => {
                void onFiles(e.currentTarget.files);
                e.currentTarget.value = '';
              }}
            />
          </Field>
        </div>
      )}
      {uploads.map((u, i) => (
        <div key={String(i)} class={u.error ? 'upload failed' : 'upload'} data-testid="upload">
          <span>{u.name}</span>
          {u.error ? (
            <span class="field-error">{u.error}</span>
          ) : (
            <Progress
              permille={u.permille}
              label={`${u.name} 上传进度`}
              text={u.permille === 1000 ? '已上传' : `${Math.floor(u.permille / 10)}%`}
            />
          )}
        </div>
      ))}
    </div>
  );
};

export const DecisionForm = ({ c, onDone }: { c: ClaimView; onDone: (c: ClaimView) => void }) => {
  const act = useAction();
  const [decision, setDecision] = useState<Decision['decision']>('approve');
  const submit = async (e: Event) => {
    const f = formData(e);
    const body: Decision = { decision };
    if (f.reason) body.reason = f.reason;
    if (decision === 'approve' && f.adjusted) body.adjustedSelfPaidInScopeFen = toFen(f.adjusted) ?? Number.NaN;
    const r = await act.run(() => api<ClaimView>('POST', `/claims/${c.claimId}/decision`, { body }));
    if (r) onDone(r);
  };
  return (
    <form class="card" onSubmit={submit} data-testid="decision">
      <h2>审核决定</h2>
      <div class="row">
        {(
          [
            ['approve', '核准'],
            ['return', '退回补件'],
            ['reject', '不予互助'],
          ] as const
        ).map(([v, label]) => (
          <label key={v} class="radio">
            <input type="radio" name="decision" value={v} checked={decision === v} onChange={() => setDecision(v)} /> {label}
          </label>
        ))}
      </div>
      <Field label={decision === 'approve' ? '说明（可空）' : '原因（必填，会告知申请单位）'} name="reason" error={act.error}>
        <textarea name="reason" rows={2} required={decision !== 'approve'} />
      </Field>
      {decision === 'approve' && c.kind !== 'lump_sum' && (
        <Field label="核减后的自付合规费用（元，可空；只能调低）" name="adjustedSelfPaidInScopeFen" error={act.error}>
          <input name="adjusted" inputMode="decimal" />
        </Field>
      )}
      <ProblemBox error={act.error} shown={['reason', 'adjustedSelfPaidInScopeFen']} />
      <button type="submit" disabled={act.busy}>
        提交决定
      </button>
    </form>
  );
};

const ClaimPage = ({ id, session }: { id: string; session: PageProps['session'] }) => {
  const claim = useLoad(() => api<ClaimView>('GET', `/claims/${encodeURIComponent(id)}`), [id]);
  const act = useAction();
  if (claim.error) return <ProblemBox error={claim.error} />;
  if (!claim.data) return <Loading />;
  const c = claim.data;
  const action = async (path: string) => {
    const r = await act.run(() => api<ClaimView>('POST', `/claims/${c.claimId}/${path}`));
    if (r) claim.setData(r);
  };
  return (
    <section>
      <h1>
        互助金申请 <small data-testid="claim-status">{CLAIM_STATUS[c.status]}</small>
      </h1>
      <dl class="facts">
        <dt>会员</dt>
        <dd>
          {c.memberName} {c.idNumberMasked} <a href={`#/enrolments/${c.enrolmentId}`}>参保记录</a>
        </dd>
        <dt>单位 / 方案</dt>
        <dd>
          {c.unitId} / {c.planId}
        </dd>
        <dt>医院</dt>
        <dd>{c.hospital}</dd>
        {c.kind === 'lump_sum' ? (
          <>
            <dt>确诊日期 / 病种</dt>
            <dd>
              {c.diagnosisDate} / {c.conditionName ?? c.conditionCode}
            </dd>
          </>
        ) : (
          <>
            <dt>住院</dt>
            <dd>
              {c.admissionDate} 至 {c.dischargeDate}，{c.diagnosis}
            </dd>
            <dt>总费用 / 医保报销 / 自付合规</dt>
            <dd>
              {yuan(c.totalExpenseFen)} / {yuan(c.insuranceReimbursedFen)} / {yuan(c.selfPaidInScopeFen)}
            </dd>
          </>
        )}
        {c.paidDate && (
          <>
            <dt>支付</dt>
            <dd>{c.paidDate}</dd>
          </>
        )}
      </dl>
      <Eob c={c} />
      <Documents c={c} onChange={claim.reload} />
      <ProblemBox error={act.error} />
      {(c.status === 'draft' || c.status === 'returned') && (
        <p class="actions">
          <button type="button" disabled={act.busy} onClick={() => void action('submit')}>
            提交审核
          </button>
          <button
            type="button"
            class="secondary"
            disabled={act.busy}
            onClick={() => confirm('撤回后不能再提交，确定吗？') && void action('withdraw')}
          >
            撤回申请
          </button>
        </p>
      )}
      {c.status === 'submitted' && session.role !== 'unit_admin' && <DecisionForm c={c} onDone={claim.setData} />}
      <h2>办理记录</h2>
      <ul class="history">
        {c.history.map((h, i) => (
          <li key={String(i)}>
            {when(h.at)}{' '}
            {h.action
              ? `${h.action === 'document_declared' ? '上传材料' : '删除材料'} ${DOC_KIND[h.documentKind ?? ''] ?? ''}`
              : `${h.from ? CLAIM_STATUS[h.from] : '新建'} → ${CLAIM_STATUS[h.to]}`}
            （{h.actor}）{h.note && `：${h.note}`}
          </li>
        ))}
      </ul>
    </section>
  );
};

const NewClaim = () => {
  const [enrolmentId, setEnrolmentId] = useState(hashQuery().get('enrolmentId') ?? '');
  const enrolment = useLoad(
    () => (/^[0-9A-Z]{26}$/.test(enrolmentId) ? api<Enrolment>('GET', `/enrolments/${enrolmentId}`) : Promise.resolve(undefined)),
    [enrolmentId],
  );
  const plan = useLoad(
    () => (enrolment.data ? api<Plan>('GET', `/plans/${enrolment.data.planId}`) : Promise.resolve(undefined)),
    [enrolment.data?.planId],
  );
  const act = useAction();
  const lump = plan.data?.benefit.kind === 'lump_sum';
  const submit = async (e: Event) => {
    const f = formData(e);
    const money = (s: string | undefined) => toFen(s ?? '') ?? Number.NaN;
    const body = lump
      ? { enrolmentId, hospital: f.hospital, diagnosisDate: f.diagnosisDate, conditionCode: f.conditionCode, accident: f.accident === 'on' }
      : {
          enrolmentId,
          hospital: f.hospital,
          admissionDate: f.admissionDate,
          dischargeDate: f.dischargeDate,
          diagnosis: f.diagnosis,
          ...(f.icd10 ? { icd10: f.icd10 } : {}),
          accident: f.accident === 'on',
          totalExpenseFen: money(f.total),
          insuranceReimbursedFen: money(f.insurance || '0'),
          selfPaidInScopeFen: money(f.selfPaid),
        };
    const c = await act.run(() => api<ClaimView>('POST', '/claims', { body, idempotencyKey: newKey() }));
    if (c) location.hash = `#/claims/${c.claimId}`;
  };
  const today = shanghaiToday();
  return (
    <section>
      <h1>申请互助金</h1>
      <form class="card" onSubmit={submit} data-testid="new-claim">
        <Field label="参保记录编号" name="enrolmentId" error={act.error} hint="可在“会员查询”里找到会员后点“申请互助金”">
          <input name="enrolmentId" value={enrolmentId} onInput={(e) => setEnrolmentId(e.currentTarget.value.trim())} required />
        </Field>
        {enrolment.error ? <ProblemBox error={enrolment.error} /> : null}
        {enrolment.data && (
          <p>
            会员：{enrolment.data.name} {enrolment.data.idNumberMasked}，剩余额度 {yuan(enrolment.data.remainingFen)}
          </p>
        )}
        <Field label="医院" name="hospital" error={act.error}>
          <input name="hospital" required />
        </Field>
        {lump ? (
          <div class="row">
            <Field label="确诊日期" name="diagnosisDate" error={act.error}>
              <input type="date" name="diagnosisDate" max={today} required />
            </Field>
            <Field label="病种" name="conditionCode" error={act.error}>
              <select name="conditionCode" required>
                {plan.data?.benefit.kind === 'lump_sum' &&
                  plan.data.benefit.conditions.map((c) => (
                    <option key={c.code} value={c.code}>
                      {c.name}
                    </option>
                  ))}
              </select>
            </Field>
          </div>
        ) : (
          <>
            <div class="row">
              <Field label="入院日期" name="admissionDate" error={act.error}>
                <input type="date" name="admissionDate" max={today} required />
              </Field>
              <Field label="出院日期" name="dischargeDate" error={act.error}>
                <input type="date" name="dischargeDate" max={today} required />
              </Field>
            </div>
            <div class="row">
              <Field label="诊断" name="diagnosis" error={act.error}>
                <input name="diagnosis" required />
              </Field>
              <Field label="ICD-10 编码（可空）" name="icd10" error={act.error}>
                <input name="icd10" />
              </Field>
            </div>
            <div class="row">
              <Field label="医疗总费用（元）" name="totalExpenseFen" error={act.error}>
                <input name="total" inputMode="decimal" required />
              </Field>
              <Field label="医保已报销（元）" name="insuranceReimbursedFen" error={act.error}>
                <input name="insurance" inputMode="decimal" defaultValue="0" />
              </Field>
              <Field label="自付合规费用（元）" name="selfPaidInScopeFen" error={act.error}>
                <input name="selfPaid" inputMode="decimal" required />
              </Field>
            </div>
          </>
        )}
        <label class="radio">
          <input type="checkbox" name="accident" /> 意外伤害
        </label>
        <ProblemBox
          error={act.error}
          shown={[
            'enrolmentId',
            'hospital',
            'admissionDate',
            'dischargeDate',
            'diagnosis',
            'icd10',
            'totalExpenseFen',
            'insuranceReimbursedFen',
            'selfPaidInScopeFen',
            'diagnosisDate',
            'conditionCode',
          ]}
        />
        <button type="submit" disabled={act.busy}>
          保存草稿并计算
        </button>
      </form>
    </section>
  );
};

export default ({ session, args }: PageProps) => {
  const q = hashQuery();
  const [status, setStatus] = useState(q.get('status') ?? '');
  const [orgId, setOrgId] = useState(q.get('orgId') ?? session.org);
  // An office's or the federation's claims run to thousands: a page at a time, with a button for more.
  const list = usePaged<ClaimView>(args[0] ? null : '/claims', { orgId, status: status || undefined });
  if (args[0] === 'new') return <NewClaim />;
  if (args[0]) return <ClaimPage id={args[0]} session={session} />;
  return (
    <section>
      <h1>互助金申请</h1>
      <p>
        <a class="button" href="#/claims/new">
          新的申请
        </a>
      </p>
      <div class="row">
        <Field label="组织" name="orgId">
          <input value={orgId} onChange={(e) => setOrgId(e.currentTarget.value.trim())} />
        </Field>
        <Field label="状态" name="status">
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
            <option value="">全部</option>
            {Object.entries(CLAIM_STATUS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </select>
        </Field>
      </div>
      {list.error ? (
        <ProblemBox error={list.error} />
      ) : !list.items ? (
        <Loading />
      ) : (
        <>
          <ClaimTable claims={list.items} />
          {list.items.length > 0 && <MoreRows list={list} unit="件" />}
        </>
      )}
    </section>
  );
};

export const ClaimTable = ({ claims }: { claims: ClaimView[] }) =>
  claims.length === 0 ? (
    <p class="hint">没有申请。</p>
  ) : (
    <TableWrap>
      <table data-testid="claims">
        <thead>
          <tr>
            <th>会员</th>
            <th>单位</th>
            <th>医院</th>
            <th>状态</th>
            <th>金额</th>
            <th>提交日期</th>
          </tr>
        </thead>
        <tbody>
          {claims.map((c) => (
            <tr key={c.claimId}>
              <td>
                <a href={`#/claims/${c.claimId}`}>{c.memberName}</a> <small>{c.idNumberMasked}</small>
              </td>
              <td>{c.unitId}</td>
              <td>{c.hospital}</td>
              <td>{CLAIM_STATUS[c.status]}</td>
              <td>{yuan(c.approvedBenefitFen ?? c.estimatedBenefitFen)}</td>
              <td>{c.lastSubmittedDate ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableWrap>
  );
