/** Money is integer fen, rates permille (SPEC §3); people read 元 and %. */
export const yuan = (fen: number | null | undefined): string =>
  fen === null || fen === undefined
    ? '—'
    : `${fen < 0 ? '-' : ''}${Math.floor(Math.abs(fen) / 100).toLocaleString('zh-CN')}.${String(Math.abs(fen) % 100).padStart(2, '0')} 元`;
export const pct = (permille: number | null | undefined): string =>
  permille === null || permille === undefined ? '—' : `${(permille / 10).toFixed(1)}%`;
/** "123.45" (元) → 12345 fen, exactly (no float arithmetic); null when not a sum of money. */
export const toFen = (s: string): number | null => {
  const m = /^\s*(\d{1,13})(?:\.(\d{1,2}))?\s*$/.exec(s);
  return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : null;
};
export const shanghaiToday = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

export const CLAIM_STATUS: Record<string, string> = {
  draft: '草稿',
  submitted: '已提交待审',
  returned: '已退回补件',
  approved: '已核准待付',
  rejected: '不予互助',
  paid: '已支付',
  withdrawn: '已撤回',
};
export const DOC_KIND: Record<string, string> = {
  invoice: '医疗费发票',
  expense_list: '费用清单',
  discharge_summary: '出院小结',
  settlement_statement: '医保结算单',
  diagnosis_certificate: '诊断证明',
  other: '其他材料',
};
export const ORG_KIND: Record<string, string> = { federation: '总工会', office: '办事处', agency: '代办点', unit: '基层单位' };
export const ROW_CODE: Record<string, string> = {
  INVALID_ID_NUMBER: '身份证号有误',
  ROW_MALFORMED: '这一行格式不对',
  INVALID_NAME: '姓名有误',
  INVALID_SHARES: '份数有误',
  INVALID_PHONE: '手机号有误',
  AGE_OUT_OF_RANGE: '年龄不在范围内',
  DUPLICATE_IN_REQUEST: '名单内重复',
  ALREADY_ENROLLED: '已参加本期互助',
};
/** A timestamp (ISO-8601 UTC) as people there read it: Asia/Shanghai, to the minute. */
export const when = (iso: string): string => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' ');
