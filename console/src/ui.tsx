import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, api } from './api';

/** The fields a problem's `errors[].path` names, as the forms label them (an unknown path is shown as it is). */
const FIELD_LABEL: Record<string, string> = {
  documents: '申请材料',
  idNumber: '身份证号',
  name: '姓名',
  phone: '手机号',
  shares: '份数',
  planId: '互助方案',
  unitId: '基层单位',
  enrolledDate: '补录登记日期',
  enrolmentId: '参保记录',
  reason: '原因',
  hospital: '医院',
  diagnosisDate: '确诊日期',
  conditionCode: '病种',
  admissionDate: '入院日期',
  dischargeDate: '出院日期',
  diagnosis: '诊断',
  paidDate: '兑现日期',
  reference: '凭证号',
  year: '年度',
  checkpointId: '考核节点',
  headcount: '职工总数',
};
const fieldLabel = (path: string) => {
  const p = path.replace(/^(body|query|path)\.?/, '');
  return FIELD_LABEL[p] ?? (p || '请求');
};

/** Every API problem: its Chinese `detail`, and each `errors[]` entry not shown beside its field. */
export const ProblemBox = ({ error, shown = [] }: { error: unknown; shown?: string[] }) => {
  if (!error) return null;
  if (error instanceof ApiError) {
    const rest = (error.problem.errors ?? []).filter((e) => !shown.includes(e.path.replace(/^(body|query|path)\./, '')));
    return (
      <div class="problem" role="alert" data-code={error.problem.code}>
        <strong>{error.problem.detail}</strong>
        {rest.length > 0 && (
          <ul>
            {rest.map((e) => (
              <li key={e.path}>
                {fieldLabel(e.path)}：{e.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    );
  }
  return (
    <div class="problem" role="alert">
      <strong>{(error as Error).message ?? String(error)}</strong>
    </div>
  );
};

/** A labelled input with the API's message for that field right under it. */
export const Field = ({
  label,
  name,
  error,
  children,
  hint,
}: {
  label: string;
  name: string;
  error?: unknown;
  children: ComponentChildren;
  hint?: string;
}) => {
  const msg = error instanceof ApiError ? error.field(name) : undefined;
  return (
    // biome-ignore lint/a11y/noLabelWithoutControl: the control is the child passed in
    <label class={msg ? 'field invalid' : 'field'} data-field={name}>
      <span>{label}</span>
      {children}
      {hint && <small class="hint">{hint}</small>}
      {msg && (
        <small class="field-error" role="alert">
          {msg}
        </small>
      )}
    </label>
  );
};

/** Loads once (and again when `deps` change); `reload` for after an action. */
export const useLoad = <T,>(load: () => Promise<T>, deps: unknown[]) => {
  const [data, setData] = useState<T | undefined>();
  const [error, setError] = useState<unknown>();
  const [n, setN] = useState(0);
  useEffect(() => {
    let live = true;
    setError(undefined);
    load().then(
      (d) => live && setData(d),
      (e) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [...deps, n]);
  return { data, error, reload: () => setN((x) => x + 1), setData };
};

/**
 * A list read a page at a time (a unit's members, an office's claims: thousands of rows), so that a long list
 * is never cut short without saying so: `more` reads the next page, and `hasMore` says one exists. `path`
 * null reads nothing. Starts again from the first page whenever the path or the query changes.
 */
export const usePaged = <T,>(path: string | null, query: Record<string, string | undefined>, pageSize = 200) => {
  const [items, setItems] = useState<T[] | undefined>();
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const key = JSON.stringify([path, query, pageSize]);
  // The list shown now: a next page that answers after the path or query changed belongs to another list.
  const shown = useRef(key);
  shown.current = key;
  const page = (from: string | null) =>
    api<{ items: T[]; nextCursor: string | null }>('GET', path!, { query: { ...query, limit: pageSize, cursor: from ?? undefined } });
  useEffect(() => {
    let live = true;
    setItems(undefined);
    setCursor(null);
    setError(undefined);
    if (path)
      page(null).then(
        (p) => {
          if (!live) return;
          setItems(p.items);
          setCursor(p.nextCursor);
        },
        (e) => live && setError(e),
      );
    return () => {
      live = false;
    };
  }, [key]);
  const more = async () => {
    if (!cursor || busy) return;
    setBusy(true);
    const asked = key;
    try {
      const p = await page(cursor);
      if (shown.current !== asked) return;
      setItems((xs) => [...(xs ?? []), ...p.items]);
      setCursor(p.nextCursor);
    } catch (e) {
      if (shown.current === asked) setError(e);
    } finally {
      setBusy(false);
    }
  };
  return { items, error, hasMore: cursor !== null, more, busy };
};

/** Under a paged list: how many rows are shown, and a button for the next page while there is one. */
export const MoreRows = ({ list, unit }: { list: ReturnType<typeof usePaged<unknown>>; unit: string }) => (
  <p class="hint" data-testid="more-rows">
    已显示 {list.items?.length ?? 0} {unit}
    {list.hasMore ? '，还有更多。' : '，已全部显示。'}
    {list.hasMore && (
      <button type="button" class="secondary" onClick={() => void list.more()} disabled={list.busy}>
        {list.busy ? '加载中…' : '显示更多'}
      </button>
    )}
  </p>
);

/** Runs an action with a busy flag and its error kept for display. */
export const useAction = () => {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const run = async <T,>(f: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(undefined);
    try {
      return await f();
    } catch (e) {
      setError(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
};

export const Loading = () => <p class="loading">加载中…</p>;

export const formData = (e: Event): Record<string, string> => {
  e.preventDefault();
  const f = new FormData(e.currentTarget as HTMLFormElement);
  return Object.fromEntries([...f.entries()].map(([k, v]) => [k, typeof v === 'string' ? v.trim() : ''])) as Record<string, string>;
};

/** The hash route's query (`#/claims?orgId=x`). */
export const hashQuery = (): URLSearchParams => new URLSearchParams(location.hash.split('?')[1] ?? '');

export const downloadText = (name: string, text: string, type = 'text/csv;charset=utf-8') => {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
};

/** A progress bar with its name (for screen readers and beside the figure), e.g. an upload or an import. */
export const Progress = ({ permille, label, text }: { permille: number; label: string; text?: string }) => (
  <div class="progress" role="progressbar" aria-valuenow={permille / 10} aria-valuemin={0} aria-valuemax={100} aria-label={label}>
    <div style={{ width: `${permille / 10}%` }} />
    <span>{text ?? `${label} ${(permille / 10).toFixed(0)}%`}</span>
  </div>
);

/**
 * A wide table that scrolls sideways on a phone: focusable and named, so a keyboard can scroll it
 * too (axe: scrollable-region-focusable).
 */
export const TableWrap = ({ children, label = '表格（可左右滚动）' }: { children: ComponentChildren; label?: string }) => (
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must take focus, or a keyboard cannot scroll it (WCAG 2.1.1)
  <section class="table-wrap" tabIndex={0} aria-label={label}>
    {children}
  </section>
);
