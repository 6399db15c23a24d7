/**
 * 中文目录（默认语言）。每条消息用办事员看得懂的话说明要改什么；
 * 不回显任何个人信息（身份证号、出生日期、年龄、姓名、手机号）。
 * Keys and parameters: ./en.ts; typed by ./catalogue.ts, so a key missing here is a type error.
 */
import type { DocumentKind } from '../domain/documents';
import type { Catalogue } from './catalogue';
import type { Entity, IdReason, NameReason, OrgKind, PlanUnit, RosterColumn, RosterReason } from './en';

const list = (xs: readonly string[]) => xs.join('、');

const ENTITY: Record<Entity, string> = {
  org: '组织',
  plan: '互助方案',
  enrolment: '参加记录',
  claim: '申请',
  evaluation: '考评',
  rosterImport: '名单导入',
  payment: '付款批次',
};
const DOC: Record<DocumentKind, string> = {
  invoice: '发票',
  expense_list: '费用清单',
  discharge_summary: '出院小结',
  settlement_statement: '医保结算单',
  diagnosis_certificate: '诊断证明',
  other: '其他材料',
};
const docs = (kinds: readonly DocumentKind[]) => list(kinds.map((k) => DOC[k]));
const STATUS: Record<string, string> = {
  draft: '草稿',
  submitted: '已提交',
  returned: '已退回',
  approved: '已批准',
  rejected: '已拒绝',
  withdrawn: '已撤回',
  paid: '已支付',
  computed: '已计算',
};
const status = (s: string) => STATUS[s] ?? s;
const ACTION: Record<string, string> = {
  submit: '提交',
  approve: '批准',
  reject: '拒绝',
  return: '退回',
  withdraw: '撤回',
  pay: '支付',
};
const action = (a: string) => ACTION[a] ?? a;
const ORG_KIND: Record<OrgKind, string> = { federation: '总工会', office: '工会办事处', agency: '工会工作机构', unit: '基层单位' };
const orgKind = (k: OrgKind) => ORG_KIND[k];
const ROLE: Record<string, string> = {
  federation_admin: '总工会管理员',
  office_staff: '经办人员',
  unit_admin: '单位管理员',
};
const role = (r: string) => ROLE[r] ?? r;
/** Field names a clerk sees on the form. */
const FIELD: Record<string, string> = {
  admissionDate: '入院日期',
  dischargeDate: '出院日期',
  diagnosisDate: '确诊日期',
  paidDate: '支付日期',
};
const field = (f: string) => FIELD[f] ?? f;
const PLAN_UNIT: Record<PlanUnit, string> = {
  fenPositive: '单位为分，须大于 0',
  fen: '单位为分',
  permille: '单位为‰',
  atLeastOne: '至少为 1',
  days: '单位为天',
  daysAtLeastOne: '单位为天，至少 1 天',
  years: '单位为岁',
};
const ID: Record<IdReason, string> = {
  notString: '身份证号须按文本填写',
  length: '身份证号应为 18 位',
  digits: '身份证号应为 17 位数字加最后一位数字或 X',
  checkChar: '身份证号校验位不对，可能是录入错误，请核对',
  province: '身份证号前两位不是有效的省份代码，请核对',
  birthDate: '身份证号中的出生日期不是真实日期，请核对',
  before1900: '身份证号中的出生日期早于 1900 年，请核对',
  future: '身份证号中的出生日期晚于今天，请核对',
  excelDigitsLost: '身份证号被 Excel 当成数字保存，后几位已丢失：请把身份证号这一列设置为文本格式后重新录入',
  excelXLost: '身份证号末尾的 X 被 Excel 丢掉了：请把身份证号这一列设置为文本格式后重新录入',
};
const NAME: Record<NameReason, string> = {
  notString: '姓名须按文本填写',
  required: '姓名不能为空',
  tooLong: '姓名最多 {max} 个字',
  invisible: '姓名中有控制字符或看不见的字符，请重新录入',
  digits: '姓名中不能有数字',
  letters: '姓名只能由文字组成，中间可以有单个空格、连字符、撇号或间隔号（·）',
};
const COLUMN: Record<RosterColumn, string> = {
  idNumber: '身份证号（或 idNumber）',
  name: '姓名（或 name）',
  shares: '份数（或 shares）',
  phone: '手机号（或 phone）',
};
const SAVE_AS_CSV = '请在 Excel 中选择“另存为 → CSV UTF-8（逗号分隔）(*.csv)”，或直接上传 Excel 工作簿';
const SAVE_AS_XLSX = '请用 Excel 打开并另存为“Excel 工作簿 (*.xlsx)”';
const RESAVE = '请用 Excel 打开后重新保存';
const nearLine = (line?: number) => (line === undefined ? '' : `（约在第 ${line} 行）`);
type R<K extends RosterReason['key']> = Extract<RosterReason, { key: K }>;
const ROSTER: { [K in RosterReason['key']]: (p: R<K>) => string } = {
  cells: (p) => `这一行有 ${p.cells} 个单元格，表头只有 ${p.width} 列`,
  beyond: (p) => `这一行在表头 ${p.width} 列之外还有内容`,
  tooManyRows: (p) => `名单超过 ${p.max} 行：请拆成几个较小的文件`,
  noHeader: () => '名单没有表头行：文件是空的，或只有一个标题',
  header: (p) =>
    `名单第一行须是列名${p.missing.length ? `；缺少这些列：${list(p.missing.map((c) => COLUMN[c]))}` : ''}${
      p.duplicated.length ? `；这些列出现了不止一次，请只保留一列：${list(p.duplicated.map((c) => COLUMN[c]))}` : ''
    }`,
  xlsxNotCsv: () => `这是 Excel 工作簿（.xlsx），不是 CSV：请按工作簿上传，或${SAVE_AS_CSV}`,
  xlsNotCsv: () => `这是旧版 Excel 工作簿（.xls），不是 CSV：${SAVE_AS_CSV}`,
  utf16: () => `文件是 UTF-16（“Unicode 文本”）编码，无法读取：${SAVE_AS_CSV}`,
  encoding: () => `文件不是 UTF-8 或 GB18030/GBK 编码的文本：${SAVE_AS_CSV}`,
  csvQuote: (p) => `有一个带引号的单元格没有结束引号${nearLine(p.line)}`,
  csvLineTooLong: (p) => `有一行超过 ${p.max} 个字符，多半是引号没有配对${nearLine(p.line)}`,
  csvMalformed: (p) => `CSV 文件格式不对${nearLine(p.line)}`,
  damaged: () => `工作簿已损坏（内容无法读取）：${RESAVE}`,
  tooManyTexts: (p) => `工作簿中不同的文字超过 ${p.max} 条，远多于一份名单：请只保存名单所在的工作表`,
  tooManyRawRows: (p) => `文件超过 ${p.max} 行（空行也算）：请删除名单下方的空行，或拆成几个较小的文件`,
  tooSlow: () => '文件读取时间过长，内容远多于一份名单：请只保存名单所在的工作表',
  unpackedTooBig: (p) => `工作簿解压后超过 ${p.mib} MiB，远大于这样一份名单：请只保存名单所在的工作表`,
  ratio: (p) => `工作簿中有一部分解压后超过原来的 ${p.max} 倍，正常名单不会这样：请在 Excel 中重新保存`,
  oldOrProtected: () => `这是旧版 .xls 工作簿或设了密码的工作簿：${SAVE_AS_XLSX}`,
  notXlsx: () => '这不是 Excel .xlsx 工作簿（CSV 文件须按 text/csv 上传）',
  unreadableXlsx: () => `无法读取这个 Excel 工作簿：${SAVE_AS_XLSX}`,
  partTooLarge: () => `工作簿中有一部分解压后过大：${RESAVE}`,
  tooManyParts: () => `工作簿的组成部分过多：${RESAVE}`,
  noSheet: () => `工作簿没有可读取的第一张工作表：${RESAVE}`,
  tooLarge: (p) => `文件超过 ${p.max} 字节`,
  uploadMissing: () => '这次导入还没有上传文件',
  emptyFile: () => '上传的文件是空的',
  uploadLarger: (p) => `上传的文件有 ${p.bytes} 字节，比申报的 ${p.declared} 字节大：请按实际大小重新发起导入`,
  workbookNotCsv: () => '这是 Excel 工作簿，不是 CSV 文件：请重新发起导入并申报为 Excel 类型',
  notText: () => '这不是文本（CSV）文件',
  fileReplaced: () => '导入过程中文件被替换了：请重新发起导入',
};
const ROOT_ONLY = {
  plans: '互助方案只能由总工会（根组织）创建',
  evaluationRules: '考评规则只能由总工会（根组织）设定',
  evaluationsMade: '考评只能由总工会（根组织）计算',
  evaluationsApproved: '考评只能由总工会（根组织）审批',
  rewards: '奖励只能由总工会（根组织）兑现',
};
const WHY_UNIT = { members: '会员只能属于基层单位', enrol: '会员只能在基层单位参加互助', enrolments: '参加记录只属于基层单位' };
const KIND = { banded: '住院医疗（分段报销）', lump_sum: '定额给付' };
const started = (s: boolean) => (s ? '本次没有任何人参加' : '导入没有开始');

export const zh: Catalogue = {
  VALIDATION_FAILED: () => '请求内容有误，请按各项说明修改。',
  'VALIDATION_FAILED.json': () => '请求内容不是有效的 JSON。',
  'VALIDATION_FAILED.roster': () => '无法读取名单文件。',
  'VALIDATION_FAILED.path': () => '网址路径的编码不对。',
  'VALIDATION_FAILED.claimKind': (p) => `这个方案是${KIND[p.kind]}方案，申请内容与方案类型不符。`,
  'FIELD.required': () => '必须填写',
  'FIELD.type': (p) =>
    p.expected === 'number' || p.expected === 'int' ? '须是数字' : p.expected === 'string' ? '须是文字' : `类型不对（应为 ${p.expected}）`,
  'FIELD.integer': () => '须是整数',
  'FIELD.tooShort': (p) => (p.min <= 1 ? '不能为空' : `至少 ${p.min} 个字`),
  'FIELD.tooLong': (p) => `最多 ${p.max} 个字`,
  'FIELD.tooSmall': (p) => `不能小于 ${p.min}`,
  'FIELD.tooBig': (p) => `不能大于 ${p.max}`,
  'FIELD.tooFew': (p) => `至少要有 ${p.min} 项`,
  'FIELD.tooMany': (p) => `最多 ${p.max} 项`,
  'FIELD.format': () => '格式不对',
  'FIELD.date': () => '须是真实的日期，写成 年-月-日，例如 2026-03-01',
  'FIELD.oneOf': (p) => `只能是以下之一：${list(p.values)}`,
  'FIELD.unknownKeys': (p) => `不认识的字段：${list(p.keys)}`,
  'FIELD.invalid': () => '内容无效',
  'FIELD.json': (p) => `不是有效的 JSON${p.at === undefined ? '' : `（第 ${p.at} 个字符处）`}`,
  'FIELD.forbiddenKey': () => '含有不允许的键名（__proto__、constructor 或 prototype）',
  'FIELD.bodyRequired': () => '须提交 JSON 格式的请求内容',
  'FIELD.idempotencyKey': () => '须是 1–255 个可见的 ASCII 字符',
  'FIELD.cursor': () => '不是这个列表给出的翻页标记',
  'FIELD.visibleText': () => '不能含有控制字符、零宽字符或改变文字方向的字符',
  'FIELD.clientId': () => '只能用英文字母、数字和连字符（-），2–40 个字符，不能以连字符开头',
  'FIELD.serverId': () => '须是本系统给出的 26 位编号',
  'FIELD.claimId': () => '须是本系统给出的 52 位申请编号',
  'FIELD.icd10': () => '须是 ICD-10 疾病编码，例如 K35.8',
  'FIELD.fen': () => '须是以分为单位的整数（1 元 = 100 分），不能为负',
  'FIELD.duplicate': () => '重复出现了',
  'FIELD.tiersAscending': () => '各档次须从低到高排列，不能相同',
  'FIELD.headcountForUnits': () => '基层单位须填写职工人数',
  'FIELD.nameOrHeadcount': () => '请至少填写名称或职工人数之一',
  'FIELD.notBeforeFrom': () => '结束日期不能早于开始日期',
  'FIELD.planIdForFile': () => '上传名单文件时须指明互助方案（planId）',
  'FIELD.noDataRows': () => '名单中没有数据行',
  'FIELD.fundingInBody': () => 'JSON 名单的资助金额请放在请求内容的 funding 中',
  'FIELD.dateInYear': (p) => `须是 ${p.year} 年内的日期`,
  'FIELD.requiredForKind': (p) => `${KIND[p.kind]}方案的申请必须填写此项`,
  'FIELD.foreignToKind': (p) => `${KIND[p.kind]}方案的申请没有此项，请删去`,
  'FIELD.reasonRequired': (p) => `${action(p.decision)}申请时须写明理由`,
  'FIELD.adjustOnlyApprove': () => '只有批准时才能调整金额',
  'FIELD.adjustFen': () => '须是以分为单位的整数，不能为负',
  'FIELD.adjustFixed': () => '这笔申请按定额给付，没有可调整的金额',
  ADJUSTMENT_NOT_LOWER: (p) => `调整后的金额只能调低：${p.adjusted} 分高于申请时的自付金额 ${p.filed} 分`,
  'FIELD.roster': (p) => ROSTER[p.reason.key](p.reason as never),
  'PLAN.integer': (p) => `须是整数（${PLAN_UNIT[p.unit]}）`,
  'PLAN.between': (p) => `须在 ${p.min} 到 ${p.max} 之间（${PLAN_UNIT[p.unit]}）`,
  'PLAN.realDate': () => '须是真实的日期，写成 年-月-日',
  'PLAN.withinYears': (p) => `须在 ${p.first}–${p.last} 年之间`,
  'PLAN.coverageYears': (p) => `保障期最长 ${p.years} 年`,
  'PLAN.notBefore': (p) => `不能早于 ${p.other}`,
  'PLAN.notAfter': (p) => `不能晚于 ${p.other}`,
  'PLAN.renewalDiscount': () => '续保每份金额不能高于新参加的每份金额（只能优惠，不能加价）',
  'PLAN.minAgeAboveMax': () => '最高年龄不能低于最低年龄',
  'PLAN.benefitRequired': () => '必须填写',
  'PLAN.deductibleBasis': () => '只能是 per_stay（每次住院）或 per_period（每个保障期）',
  'PLAN.conditionCount': (p) => `须有 1 到 ${p.max} 种病种`,
  'PLAN.conditionDuplicate': (p) => `病种代码 ${p.code} 重复了`,
  'PLAN.bandsRequired': () => '至少要有一个分段',
  'PLAN.lastBandOpen': () => '最后一段的上限须为 null（不封顶）',
  'PLAN.onlyLastOpen': () => '只有最后一段可以不封顶（null）',
  'PLAN.bandUpto': (p) => `须是大于 0、不超过 ${p.max} 的整数（单位为分）`,
  'PLAN.bandAscending': () => '须大于上一段的上限',
  'PLAN.rate': () => '须是 0 到 1000 之间的整数（单位为‰）',

  UNAUTHORIZED: () => '请先登录：需要有效的登录凭证。',
  'UNAUTHORIZED.claims': () => '登录凭证不是身份令牌，或缺少用户、角色或所属组织，请重新登录。',
  FORBIDDEN: () => '超出了您的管理范围或角色权限。',
  'FORBIDDEN.role': () => '登录凭证中的角色无权使用本系统。',
  'FORBIDDEN.tokenOrg': (p) => `登录凭证中的组织 ${p.orgId} 不存在。`,
  'FORBIDDEN.roleOrgKind': (p) => `角色“${role(p.role)}”不适用于组织 ${p.orgId}（${orgKind(p.kind)}）。`,
  'FORBIDDEN.needsRole': (p) => `这项操作需要以下角色：${list(p.roles.map(role))}。`,
  'FORBIDDEN.orgScope': (p) => `组织 ${p.orgId} 不在您的管理范围内。`,
  'FORBIDDEN.claimScope': (p) => `申请 ${p.claimId} 不在您的管理范围内。`,
  'FORBIDDEN.targetsFromAbove': (p) => `${p.orgId} 的目标由其上级组织设定。`,
  'FORBIDDEN.rootOnly': (p) => `${ROOT_ONLY[p.what]}。`,
  SAME_PERSON: () => '录入、提交这笔申请或为它上传过材料的人，不能审批这笔申请，请由另一位同事审批。',
  'SAME_PERSON.evaluation': () => '考评须由计算它的人以外的另一位同事审批。',
  NOT_FOUND: (p) => `找不到${ENTITY[p.entity]} ${p.id}。`,
  'NOT_FOUND.document': (p) => `申请 ${p.claimId} 中找不到材料 ${p.documentId}。`,
  'NOT_FOUND.report': (p) => `找不到 ${p.date} 的统计报表。`,
  'NOT_FOUND.target': (p) => `找不到组织 ${p.orgId} 的 ${p.year} 年目标。`,
  'NOT_FOUND.asset': (p) => `接口文档中没有文件 ${p.file}。`,
  'NOT_FOUND.route': (p) => `没有这个接口：${p.method} ${p.path}。`,
  'NOT_FOUND.claims': (p) => `有 ${p.count} 笔申请找不到。`,
  'NOT_FOUND.noSuchClaim': () => '没有这笔申请',
  'NOT_FOUND.importGone': () => '这次导入的互助方案或单位已不存在',
  METHOD_NOT_ALLOWED: (p) => `${p.path} 不支持 ${p.method}，只支持 ${p.allow.join('、')}。`,
  UNSUPPORTED_MEDIA_TYPE: (p) => `请以下列格式提交：${p.accepted.join('、')}。`,
  CONFLICT: () => '您提交时这条记录被别人改过了，请重新打开后再试。',
  ALREADY_EXISTS: () => '这条记录已经存在。',
  'ALREADY_EXISTS.plan': (p) => `互助方案 ${p.id} 已经存在；方案建立后不能修改。`,
  'ALREADY_EXISTS.org': (p) => `编号为 ${p.id} 的组织已经存在。`,
  REPORT_LOCKED: (p) => `${p.date} 的统计报表已用于考评，已锁定，不再重新生成。`,
  INVALID_STATE: (p) =>
    `申请 ${p.claimId} 现在是“${status(p.status)}”状态，不能${action(p.action)}${
      p.possible.length ? `（现在可以：${list(p.possible.map(action))}）` : ''
    }。`,
  'INVALID_STATE.documents': (p) => `申请 ${p.claimId} 现在是“${status(p.status)}”状态：只有草稿或已退回的申请才能增删材料。`,
  'INVALID_STATE.decide': (p) => `只有已提交的申请才能审批；这笔申请现在是“${status(p.status)}”。`,
  'INVALID_STATE.evaluationApprove': (p) => `只有草稿状态的考评才能审批；这次考评现在是“${status(p.status)}”。`,
  'INVALID_STATE.evaluationPayout': (p) => `只有已审批的考评才能兑现奖励；这次考评现在是“${status(p.status)}”。`,
  'INVALID_STATE.notPayable': (p) => `有 ${p.count} 笔申请不是“已批准、未支付”，本批次一笔也没有支付。`,
  'INVALID_STATE.inPayment': (p) => `已在付款批次 ${p.paymentId} 中，现在是“${status(p.status)}”`,
  'INVALID_STATE.beingPaid': (p) => `正在付款批次 ${p.paymentId} 中支付`,
  'INVALID_STATE.notApproved': (p) => `现在是“${status(p.status)}”，还没有批准`,
  IDEMPOTENCY_KEY_REUSED: () => '这个 Idempotency-Key 已用于另一个不同的请求，请换一个。',
  SERVICE_UNAVAILABLE: () => '数据服务繁忙，请稍后重试。',
  'SERVICE_UNAVAILABLE.partlyEnrolled': (p) => `数据服务中途出错：已有 ${p.count} 人参加成功；请重新提交这份名单完成其余部分。`,
  'SERVICE_UNAVAILABLE.payment': (p) =>
    `付款批次 ${p.paymentId} 处理中数据服务出错；系统会自行完成或撤销，期间不会显示为部分已付。请稍后重试。`,
  INTERNAL: () => '系统内部出错，已记录，请稍后再试或联系管理员。',
  PAYMENT_IN_PROGRESS: (p) => `包含其中部分申请的付款批次 ${p.paymentId} 还在处理中，请 ${p.seconds} 秒后重试。`,
  PAYMENT_CANCELLED: () => '付款在写入过程中被取消，本批次一笔也没有支付。',
  NOT_A_UNIT: (p) => `组织 ${p.orgId} 是${orgKind(p.kind)}，不是基层单位；${WHY_UNIT[p.why]}。`,
  SAME_UNIT: (p) => `参加记录 ${p.enrolmentId} 已经在单位 ${p.unitId}。`,
  ENROLMENT_CLOSED: (p) => `互助方案 ${p.planId} 的参加时间是 ${p.open} 至 ${p.close}，今天不在此期间。`,
  SUBSIDY_TOO_HIGH: (p) => `行政和工会每份合计资助 ${p.totalFen} 分，超过了方案最低的每份金额 ${p.lowestFen} 分；${started(p.started)}。`,
  'SUBSIDY_TOO_HIGH.notWhole': (p) => `每份资助金额须是以分为单位的整数，不能为负；${started(p.started)}。`,
  PREDECESSOR_UNKNOWN: (p) => `上一期方案 ${p.id} 不存在。`,
  PARENT_UNKNOWN: (p) => `上级组织 ${p.id} 不存在。`,
  PARENT_IS_UNIT: () => '基层单位下面不能再建组织。',
  TOO_MANY_DOCUMENTS: (p) => `一笔申请最多 ${p.max} 份材料，请先删掉一份。`,
  DOCUMENTS_MISSING: (p) => `提交前还需上传：${docs(p.kinds)}。`,
  'DOCUMENTS_MISSING.one': (p) => `需要上传${DOC[p.kind]}`,
  DOCUMENT_INVALID: (p) => `以下材料与登记的不一致，请重新上传：${docs(p.kinds)}。`,
  'DOCUMENT_INVALID.notUploaded': (p) => `${DOC[p.kind]}：还没有上传`,
  'DOCUMENT_INVALID.size': (p) => `${DOC[p.kind]}：文件大小与登记的 ${p.bytes} 字节不一致`,
  'DOCUMENT_INVALID.type': (p) => `${DOC[p.kind]}：文件类型与登记的 ${p.contentType} 不一致`,
  'DOCUMENT_INVALID.bytes': (p) => `${DOC[p.kind]}：文件内容不是 ${p.type}`,
  DATES_INVALID: (p) => `${field(p.field)}须是真实的日期，写成 年-月-日。`,
  'DATES_INVALID.admissionAfterDischarge': () => '入院日期晚于出院日期，请核对。',
  'DATES_INVALID.afterToday': (p) => `${field(p.field)}晚于今天，请核对。`,
  'DATES_INVALID.paidAfterToday': () => '支付日期晚于今天。',
  'DATES_INVALID.paidBeforeApproval': (p) => `支付日期早于其中 ${p.count} 笔申请的批准日期。`,
  'DATES_INVALID.notAfterToday': () => '不能晚于今天',
  'DATES_INVALID.approvedOn': (p) => `这笔申请在 ${p.date} 才批准`,
  OUTSIDE_COVERAGE: (p) => `${field(p.field)}不在方案的保障期 ${p.start} 至 ${p.end} 内。`,
  WAITING_PERIOD: (p) =>
    p.accident ? `${field(p.field)}早于意外保障开始日 ${p.start}。` : `${field(p.field)}早于保障开始日 ${p.start}（还在观察期内）。`,
  CLAIM_DEADLINE_PASSED: (p) => `申请须在${field(p.field)}（${p.from}）后 ${p.days} 天内提出，已经超过期限。`,
  AMOUNTS_INCONSISTENT: () => '医保报销金额加政策内自付金额超过了医疗总费用，请核对。',
  CONDITION_NOT_COVERED: (p) => `病种 ${p.code} 不在这个方案的保障范围内。`,
  CONDITION_ALREADY_CLAIMED: (p) => `这个病种已在这份参加记录下申请过（申请 ${p.claimId}），每个病种只给付一次。`,
  DUPLICATE_STAY: (p) => `这次住院与同一会员的申请 ${p.claimId} 时间重叠，同一次住院只能申请一次。`,
  CAP_EXHAUSTED: (p) => `这位会员 ${p.capFen} 分的互助金上限已经用完，这笔申请不能再给付。`,
  RULES_LOCKED: (p) => `${p.year} 年已有考评审批通过，考评规则不能再修改。`,
  RULES_MISSING: (p) => `还没有 ${p.year} 年的考评规则：请先用 PUT /evaluation-rules/${p.year} 设定。`,
  CHECKPOINT_UNKNOWN: (p) => `${p.year} 年的考评规则中没有考评节点 ${p.checkpointId}。`,
  REPORT_MISSING: (p) => `还没有 ${p.date} 的统计报表：请先生成那天的报表。`,
  EVALUATION_APPROVED: (p) => `${p.year} 年 ${p.checkpointId} 的考评已审批，不能再替换。`,
  CONCURRENT_CHANGE: () => '报表、规则或考评刚被改动过，请重试。',
  PAID_DATE_IN_FUTURE: () => '兑现日期晚于今天。',
  PAID_DATE_TOO_EARLY: (p) => `兑现日期早于考评日期（${p.date}）。`,
  REPORT_TOO_LARGE: (p) =>
    `这份报表有 ${p.mb} MB，太大，无法直接返回：请从 links.json 下载（内容相同），或用 ?planId= 只看一个方案、用 ?orgId= 只看一部分组织。`,
  PAYLOAD_TOO_LARGE: (p) => `请求内容超过 ${p.mib} MiB 的上限。`,
  NO_DATA_ROWS: () => '名单中没有数据行。',

  INVALID_ID_NUMBER: (p) => ID[p.reason],
  ROW_MALFORMED: (p) => ROSTER[p.reason.key](p.reason as never),
  INVALID_NAME: (p) => NAME[p.reason].replace('{max}', String(p.max ?? '')),
  INVALID_SHARES: (p) => `份数须是 1 到 ${p.max} 之间的整数`,
  INVALID_PHONE: () => '手机号须是以 1 开头的 11 位手机号码',
  AGE_OUT_OF_RANGE: (p) => `这个方案只接受保障开始当天年满 ${p.min} 周岁、不超过 ${p.max} 周岁的会员，此人不在这个年龄范围内`,
  DUPLICATE_IN_REQUEST: (p) => `同一个人已在第 ${p.first} 行`,
  ALREADY_ENROLLED: () => '此人已参加这个互助方案',
  ROSTER_FILE: (p) => ROSTER[p.reason.key](p.reason as never),
  XLS_NOT_SUPPORTED: () => '这是旧版 .xls 工作簿（或设了密码），系统无法读取：请在 Excel 中打开，另存为“Excel 工作簿 (*.xlsx)”后再上传。',
  ENROLLED_DATE_OUT_OF_RANGE: (p) => `补录的参加日期须在方案 ${p.planId} 开始参加之日（${p.open}）至今天（${p.today}）之间。`,
  ENROLMENT_IN_FORCE: (p) => `参加记录 ${p.enrolmentId} 不能撤销：互助保障已于 ${p.date} 开始。`,
  'ENROLMENT_IN_FORCE.claimFiled': (p) => `参加记录 ${p.enrolmentId} 不能撤销：已有人为其申请过互助金。`,
  ENROLMENT_CANCELLED: (p) => `参加记录 ${p.enrolmentId} 已撤销；如确需参加，请重新录入。`,
  'FORBIDDEN.backdate': () => '只有办事处或总工会的工作人员可以补录以前日期的参加（enrolledDate）。',
  'FORBIDDEN.personOutside': () => '此人只在您管辖范围以外的单位参加了互助。',
  'FORBIDDEN.enrolmentScope': (p) => `参加记录 ${p.enrolmentId} 不在您的管辖范围内。`,
  'NOT_FOUND.person': () => '没有找到此人的参加记录。',
  'FIELD.xlsImport': () => '旧版 .xls 工作簿无法读取：请在 Excel 中另存为“Excel 工作簿 (*.xlsx)”后再导入',
  'FIELD.enrolledDateInBody': () => 'JSON 名单请把参加日期 enrolledDate 写在请求内容里',
  'FIELD.formUnreadable': () => '表单无法读取：请用 multipart/form-data 上传一个文件',
  'FIELD.formParts': (p) =>
    `表单里只能有一个文件、不能有其他字段（现在有 ${p.files} 个文件、${p.fields} 个其他字段）；方案和分担方式写在网址参数里`,
  'VALIDATION_FAILED.form': () => '上传的表单无法读取。',
  BENEFIT_KIND_MISMATCH: (p) =>
    `方案 ${p.planId} 是${p.planKind === 'lump_sum' ? '定额给付' : '住院分段报销'}方案，测算时请用同类的给付规则。`,
  SIMULATION_OUT_OF_RANGE: () => '测算用的缴费或给付金额过大，无法精确计算，请用合理的金额。',
  SIMULATION_MISMATCH: (p) =>
    `方案 ${p.planId} 的已核准理赔按现行规则重算，与记录的合计不一致，测算结果不可信：请先运行对账（npm run reconcile）后再试。`,
  'CONCURRENT_CHANGE.plan': (p) => `方案 ${p.planId} 在读取期间一直有新的核准或参加，请稍后重试。`,

  'REPORT.asOfNote': () =>
    '各项数字是截至报表日期当天结束（北京时间）时记录的准确累计数，不论报表何时生成；“数据截至”是读取这些数字的时间。组织名称、职工总数和任务数按“数据截至”时的情况。',
  'REPORT.projectionThin': (p) =>
    `预计全期赔付率的依据还太少（目前核准 ${p.approvedClaims} 件、保障期已过 ${p.elapsedDays} 天；至少需要 ${p.minClaims} 件核准、${p.minDays} 天），多一件或少一件申请都会让它大幅变动，仅供参考。`,
};
