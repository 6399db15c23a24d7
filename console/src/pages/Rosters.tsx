import { useState } from 'preact/hooks';
import { api, listAll, newKey, uploadPresigned } from '../api';
import { ROW_CODE, shanghaiToday } from '../fmt';
import type { PageProps } from '../main';
import type { EnrolResult, Plan, RosterImport, RosterImportUpload } from '../types';
import { downloadText, Field, hashQuery, ProblemBox, Progress, useAction, useLoad, TableWrap } from '../ui';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** One request takes up to 5,000 rows (SPEC §4.3); past that, or for a big workbook, the roster goes through an import. */
const MAX_DIRECT_ROWS = 5000;
const MAX_DIRECT_XLSX_BYTES = 1024 * 1024;
const MAX_FILE_BYTES = 20 * 1024 * 1024;

/** The rows as §4.3 (issue 17) answers them: `line` and `name` beside the masked ID number. */
type Rejected = EnrolResult['rejected'][number] & { line?: number; name?: string };

/** CSV as Excel saves it on Chinese Windows may be GB18030: read UTF-8 strictly, else GB18030. */
const decode = (buf: ArrayBuffer): string => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(buf);
  }
};
const csvCell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/**
 * The rejected rows to fix and upload again: for a CSV, the clerk's own lines (their file, their
 * numbers) with the reason in a last column; for a workbook, line, name and reason.
 */
export const rejectedCsv = (rejected: Rejected[], source: string | null): string => {
  const lines = source?.split(/\r?\n/) ?? null;
  if (lines?.[0]) {
    const out = [`${lines[0]},问题说明`];
    for (const r of rejected) {
      const original = r.line !== undefined ? lines[r.line - 1] : lines[r.row];
      if (original !== undefined) out.push(`${original},${csvCell(r.message)}`);
    }
    return `\uFEFF${out.join('\r\n')}\r\n`;
  }
  const out = ['行号,姓名,身份证号（已隐去）,问题,说明'];
  for (const r of rejected)
    out.push([String(r.line ?? r.row), r.name ?? '', r.idNumberMasked, ROW_CODE[r.code] ?? r.code, r.message].map(csvCell).join(','));
  return `\uFEFF${out.join('\r\n')}\r\n`;
};

export default ({ session }: PageProps) => {
  const plans = useLoad(() => listAll<Plan>('/plans'), []);
  const [unitId, setUnitId] = useState(hashQuery().get('unitId') ?? (session.role === 'unit_admin' ? session.org : ''));
  const [planId, setPlanId] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [enrolledDate, setEnrolledDate] = useState('');
  const [result, setResult] = useState<{ r: EnrolResult; source: string | null } | null>(null);
  const [imp, setImp] = useState<RosterImport | null>(null);
  const [uploadPermille, setUploadPermille] = useState<number | null>(null);
  const act = useAction();
  const open = (plans.data ?? []).filter((p) => p.enrolmentClose >= shanghaiToday());
  const staff = session.role !== 'unit_admin';

  const submit = async (e: Event) => {
    e.preventDefault();
    setResult(null);
    setImp(null);
    if (!file) return act.setError(new Error('请选择名单文件（CSV 或 Excel .xlsx）。'));
    if (/\.xls$/i.test(file.name))
      return act.setError(new Error('这是旧版 Excel（.xls）文件，请在 Excel 里“另存为 Excel 工作簿（*.xlsx）”后再上传。'));
    const isCsv = /\.csv$/i.test(file.name) || file.type === 'text/csv';
    const isXlsx = /\.xlsx$/i.test(file.name) || file.type === XLSX;
    if (!isCsv && !isXlsx) return act.setError(new Error('只能上传 CSV 或 Excel 工作簿（.xlsx）文件。'));
    if (file.size > MAX_FILE_BYTES) return act.setError(new Error('文件超过 20 MB，请分成几个文件上传。'));
    const source = isCsv ? decode(await file.arrayBuffer()) : null;
    const rows = source ? source.split(/\r?\n/).filter((l) => l.trim()).length - 1 : 0;
    const big = isCsv ? rows > MAX_DIRECT_ROWS : file.size > MAX_DIRECT_XLSX_BYTES;
    const query = { planId, ...(enrolledDate ? { enrolledDate } : {}) };
    if (!big) {
      const r = await act.run(() =>
        api<EnrolResult>('POST', `/units/${encodeURIComponent(unitId)}/enrolments`, {
          query,
          raw: { data: file, contentType: isCsv ? 'text/csv' : XLSX },
          idempotencyKey: newKey(),
        }),
      );
      if (r) setResult({ r, source });
      return;
    }
    await act.run(async () => {
      const made = await api<RosterImportUpload>('POST', `/units/${encodeURIComponent(unitId)}/roster-imports`, {
        query: enrolledDate ? { enrolledDate } : {},
        body: { planId, fileName: file.name, contentType: isCsv ? 'text/csv' : XLSX, sizeBytes: file.size },
        idempotencyKey: newKey(),
      });
      setUploadPermille(0);
      await uploadPresigned(made.upload, file, setUploadPermille);
      for (;;) {
        const s = await api<RosterImport>('GET', `/roster-imports/${made.importId}`);
        setImp(s);
        if (s.status === 'done' || s.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 1000));
      }
    });
  };

  const rejected = (result?.r.rejected ?? []) as Rejected[];
  return (
    <section>
      <h1>名单上传</h1>
      <p class="hint">
        名单表头可以用中文（身份证号,姓名,份数,手机号）或英文（idNumber,name,shares,phone）。身份证号一列请设为“文本”格式，以免 Excel
        把号码改成科学计数法。超过 {MAX_DIRECT_ROWS} 行的名单会转为后台导入并显示进度。
      </p>
      <form class="card" onSubmit={submit} data-testid="roster-form">
        <div class="row">
          <Field label="基层单位编号" name="unitId" error={act.error}>
            <input name="unitId" value={unitId} onInput={(e) => setUnitId(e.currentTarget.value.trim())} required />
          </Field>
          <Field label="互助方案" name="planId" error={act.error}>
            <select name="planId" value={planId} onChange={(e) => setPlanId(e.currentTarget.value)} required>
              <option value="">请选择</option>
              {open.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}（{p.id}）
                </option>
              ))}
            </select>
          </Field>
          {staff && (
            <Field label="补录：实际登记日期（可空）" name="enrolledDate" error={act.error} hint="纸质登记补录时填写，不能晚于今天">
              <input
                type="date"
                name="enrolledDate"
                value={enrolledDate}
                max={shanghaiToday()}
                onInput={(e) => setEnrolledDate(e.currentTarget.value)}
              />
            </Field>
          )}
          <Field label="名单文件（CSV 或 .xlsx）" name="file" error={act.error}>
            <input type="file" name="file" accept=".csv,.xlsx,text/csv" onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
          </Field>
        </div>
        <ProblemBox error={act.error} shown={['unitId', 'planId', 'enrolledDate']} />
        <button type="submit" disabled={act.busy}>
          {act.busy ? '正在处理…' : '上传并登记'}
        </button>
      </form>
      {uploadPermille !== null && <Progress permille={uploadPermille} label="上传" />}
      {imp && (
        <div class="card" data-testid="import-status">
          <h2>后台导入：{imp.fileName}</h2>
          <Progress
            permille={imp.progressPermille}
            label={imp.status === 'done' ? '已完成' : imp.status === 'failed' ? '失败' : '处理中'}
          />
          <p>
            共 {imp.rows} 行，登记成功 {imp.accepted} 人，未通过 {imp.rejected} 行。
          </p>
          {imp.error && <p class="problem">{imp.error.message}</p>}
          {imp.results && (
            <a class="button" href={imp.results} target="_blank" rel="noopener">
              下载每一行的结果（CSV）
            </a>
          )}
        </div>
      )}
      {result && (
        <div class="card" data-testid="roster-result">
          <h2>
            登记成功 {result.r.accepted} 人，未通过 {rejected.length} 行
          </h2>
          {rejected.length > 0 && (
            <>
              <button type="button" onClick={() => downloadText('未通过的名单行.csv', rejectedCsv(rejected, result.source))}>
                下载未通过的行（CSV），改好后重新上传
              </button>
              <TableWrap>
                <table data-testid="rejected" class="stack">
                  <thead>
                    <tr>
                      <th>行号</th>
                      <th>姓名</th>
                      <th>身份证号</th>
                      <th>问题</th>
                      <th>怎么改</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rejected.map((r) => (
                      <tr key={r.row}>
                        <td data-label="行号">{r.line ?? r.row + 1}</td>
                        <td data-label="姓名">{r.name ?? '—'}</td>
                        <td data-label="身份证号">{r.idNumberMasked}</td>
                        <td data-label="问题">{ROW_CODE[r.code] ?? r.code}</td>
                        <td data-label="怎么改">{r.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </TableWrap>
            </>
          )}
        </div>
      )}
    </section>
  );
};
