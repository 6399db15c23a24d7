/**
 * The English catalogue (Accept-Language: en). It also defines every message
 * key and its parameters: ./zh.ts must give each the same key, so a key
 * without a message in either language is a type error (./catalogue.ts).
 * Parameters are ids, dates, counts, amounts and codes; never a personal value
 * (ID number, birth date, age, name, phone).
 */
import type { DocumentKind } from '../domain/documents';
import type { OrgKind } from '../domain/scope';

/** What a 404 can name. */
export type Entity = 'org' | 'plan' | 'enrolment' | 'claim' | 'evaluation' | 'rosterImport' | 'payment';

const list = (xs: readonly string[]) => xs.join(', ');
type Docs = { kinds: readonly DocumentKind[] };

type Field = { field: string };

const ENTITY_EN: Record<Entity, string> = {
  org: 'Org',
  plan: 'Plan',
  enrolment: 'Enrolment',
  claim: 'Claim',
  evaluation: 'Evaluation',
  rosterImport: 'Roster import',
  payment: 'Payment',
};

const DOC_EN: Record<DocumentKind, string> = {
  invoice: 'invoice',
  expense_list: 'expense list',
  discharge_summary: 'discharge summary',
  settlement_statement: 'insurance settlement statement',
  diagnosis_certificate: 'diagnosis certificate',
  other: 'other document',
};
const docs = (kinds: readonly DocumentKind[]) => list(kinds.map((k) => DOC_EN[k]));

export const en = {
  // 400 and its field messages
  VALIDATION_FAILED: () => 'The request is not valid.',
  'VALIDATION_FAILED.json': () => 'The body is not valid JSON.',
  'VALIDATION_FAILED.path': () => 'The path is not valid percent-encoding.',
  'VALIDATION_FAILED.roster': () => 'The roster file could not be read.',
  'VALIDATION_FAILED.claimKind': (p: { kind: 'banded' | 'lump_sum' }) =>
    `This plan is ${p.kind === 'banded' ? 'a hospital-stay (banded)' : 'a lump-sum'} plan: the claim body does not fit it.`,
  'FIELD.required': () => 'is required',
  'FIELD.type': (p: { expected: string }) =>
    `must be ${p.expected === 'number' || p.expected === 'int' ? 'a number' : `of type ${p.expected}`}`,
  'FIELD.integer': () => 'must be a whole number',
  'FIELD.tooShort': (p: { min: number }) => (p.min <= 1 ? 'must not be empty' : `must be at least ${p.min} characters`),
  'FIELD.tooLong': (p: { max: number }) => `must be at most ${p.max} characters`,
  'FIELD.tooSmall': (p: { min: number }) => `must be at least ${p.min}`,
  'FIELD.tooBig': (p: { max: number }) => `must be at most ${p.max}`,
  'FIELD.tooFew': (p: { min: number }) => `must hold at least ${p.min} item(s)`,
  'FIELD.tooMany': (p: { max: number }) => `must hold at most ${p.max} items`,
  'FIELD.format': () => 'is not in the expected format',
  'FIELD.date': () => 'must be a real date written YYYY-MM-DD, e.g. 2026-03-01',
  'FIELD.oneOf': (p: { values: string[] }) => `must be one of: ${list(p.values)}`,
  'FIELD.unknownKeys': (p: { keys: string[] }) => `unknown field(s): ${list(p.keys)}`,
  'FIELD.invalid': () => 'is not valid',
  'FIELD.json': (p: { at?: number }) => `is not valid JSON${p.at === undefined ? '' : ` (at position ${p.at})`}`,
  'FIELD.forbiddenKey': () => 'holds a forbidden key (__proto__, constructor or prototype)',
  'FIELD.bodyRequired': () => 'a JSON body is required',
  'FIELD.idempotencyKey': () => 'must be 1–255 visible ASCII characters',
  'FIELD.cursor': () => 'is not a cursor this list issued',
  'FIELD.visibleText': () => 'must not contain control, zero-width or text-direction characters',
  'FIELD.clientId': () => 'may hold only letters A–Z, digits and hyphens (2–40 characters, not starting with a hyphen)',
  'FIELD.serverId': () => 'must be a 26-character id as this system issues them',
  'FIELD.claimId': () => 'must be a 52-character claim id as this system issues them',
  'FIELD.icd10': () => 'must be an ICD-10 code such as K35.8',
  'FIELD.fen': () => 'must be a whole number of fen (1 yuan = 100 fen), 0 or more',
  'FIELD.duplicate': () => 'appears more than once',
  'FIELD.tiersAscending': () => 'tiers must be strictly ascending',
  'FIELD.headcountForUnits': () => 'headcount is required for units',
  'FIELD.nameOrHeadcount': () => 'give name or headcount',
  'FIELD.notBeforeFrom': () => 'must not be before from',
  'FIELD.planIdForFile': () => 'is required for a roster file',
  'FIELD.noDataRows': () => 'the roster has no data rows',
  'FIELD.fundingInBody': () => 'a JSON roster sends co-funding as `funding` in the body',
  'FIELD.dateInYear': (p: { year: number }) => `must be a date in ${p.year}`,
  'FIELD.requiredForKind': (p: { kind: 'banded' | 'lump_sum' }) => `is required for a ${p.kind} plan`,
  'FIELD.foreignToKind': (p: { kind: 'banded' | 'lump_sum' }) => `is not a field of a ${p.kind} plan's claim`,
  'FIELD.reasonRequired': (p: { decision: string }) => `a reason is required to ${p.decision} a claim`,
  'FIELD.adjustOnlyApprove': () => 'an adjustment is only possible when approving',
  'FIELD.adjustFen': () => 'must be a whole number of fen, 0 or more',
  'FIELD.adjustFixed': () => 'this claim pays a fixed amount: there is nothing to adjust',
  ADJUSTMENT_NOT_LOWER: (p: { adjusted: number; filed: number }) =>
    `the adjustment may only lower the amount: ${p.adjusted} is above the filed selfPaidInScopeFen ${p.filed}`,
  'FIELD.roster': (p: { reason: RosterReason }) => ROSTER_EN[p.reason.key](p.reason as never),
  // plan rules (SPEC §4.2)
  'PLAN.integer': (p: { unit: PlanUnit }) => `must be a whole number (${PLAN_UNIT_EN[p.unit]})`,
  'PLAN.between': (p: { min: number; max: number; unit: PlanUnit }) => `must be between ${p.min} and ${p.max} (${PLAN_UNIT_EN[p.unit]})`,
  'PLAN.realDate': () => 'must be a real date YYYY-MM-DD',
  'PLAN.withinYears': (p: { first: number; last: number }) => `must be within ${p.first}–${p.last}`,
  'PLAN.coverageYears': (p: { years: number }) => `coverage may last at most ${p.years} years`,
  'PLAN.notBefore': (p: { other: string }) => `must not be before ${p.other}`,
  'PLAN.notAfter': (p: { other: string }) => `must not be after ${p.other}`,
  'PLAN.renewalDiscount': () => 'must not exceed contributionPerShareFen (a renewal discount, never a surcharge)',
  'PLAN.minAgeAboveMax': () => 'must not be below minAge',
  'PLAN.benefitRequired': () => 'is required',
  'PLAN.deductibleBasis': () => 'must be per_stay or per_period',
  'PLAN.conditionCount': (p: { max: number }) => `must hold 1 to ${p.max} conditions`,
  'PLAN.conditionDuplicate': (p: { code: string }) => `duplicates condition code ${p.code}`,
  'PLAN.bandsRequired': () => 'must hold at least one band',
  'PLAN.lastBandOpen': () => 'the last band must have uptoFen null (open-ended)',
  'PLAN.onlyLastOpen': () => 'only the last band may be open-ended (null)',
  'PLAN.bandUpto': (p: { max: number }) => `must be a positive whole number of fen up to ${p.max}`,
  'PLAN.bandAscending': () => 'must be greater than the previous band’s uptoFen',
  'PLAN.rate': () => 'must be a whole number between 0 and 1000 (‰)',

  UNAUTHORIZED: () => 'A valid bearer token is required.',
  'UNAUTHORIZED.claims': () => 'The token is not an ID token, or lacks the sub, role or org claim.',
  FORBIDDEN: () => 'This is outside your scope or role.',
  'FORBIDDEN.role': () => 'The token names a role that has no access to this API.',
  'FORBIDDEN.tokenOrg': (p: { orgId: string }) => `The token's org ${p.orgId} does not exist.`,
  'FORBIDDEN.roleOrgKind': (p: { role: string; orgId: string; kind: OrgKind }) =>
    `The role ${p.role} does not fit org ${p.orgId}, which is ${ORG_KIND_EN[p.kind]}.`,
  'FORBIDDEN.needsRole': (p: { roles: readonly string[] }) => `This needs the role ${p.roles.join(' or ')}.`,
  'FORBIDDEN.orgScope': (p: { orgId: string }) => `Org ${p.orgId} is outside your scope.`,
  'FORBIDDEN.claimScope': (p: { claimId: string }) => `Claim ${p.claimId} is outside your scope.`,
  'FORBIDDEN.targetsFromAbove': (p: { orgId: string }) => `Targets of ${p.orgId} are set by an org above it.`,
  'FORBIDDEN.rootOnly': (p: { what: 'plans' | 'evaluationRules' | 'evaluationsMade' | 'evaluationsApproved' | 'rewards' }) =>
    `${ROOT_ONLY_EN[p.what]} by the federation (the root org).`,
  SAME_PERSON: () => 'Whoever created a claim, submitted it or declared one of its documents may not decide it.',
  'SAME_PERSON.evaluation': () => 'An evaluation is approved by someone other than the person who made it.',
  NOT_FOUND: (p: { entity: Entity; id: string }) => `${ENTITY_EN[p.entity]} ${p.id} was not found.`,
  'NOT_FOUND.document': (p: { documentId: string; claimId: string }) => `Document ${p.documentId} of claim ${p.claimId} was not found.`,
  'NOT_FOUND.report': (p: { date: string }) => `The report of ${p.date} was not found.`,
  'NOT_FOUND.target': (p: { year: number; orgId: string }) => `A ${p.year} target for org ${p.orgId} was not found.`,
  'NOT_FOUND.asset': (p: { file: string }) => `File ${p.file} of the API reference was not found.`,
  'NOT_FOUND.route': (p: { method: string; path: string }) => `No route ${p.method} ${p.path}.`,
  'NOT_FOUND.claims': (p: { count: number }) => `${p.count} claim(s) were not found.`,
  'NOT_FOUND.noSuchClaim': () => 'no such claim',
  'NOT_FOUND.importGone': () => 'the plan or unit of this import no longer exists',
  METHOD_NOT_ALLOWED: (p: { path: string; method: string; allow: readonly string[] }) =>
    `${p.path} does not accept ${p.method}; it accepts ${p.allow.join(', ')}.`,
  UNSUPPORTED_MEDIA_TYPE: (p: { accepted: readonly string[] }) => `Send the body as ${p.accepted.join(', ')}.`,
  CONFLICT: (p: { entity: string }) => `The ${p.entity} changed while it was being written; read it again and retry.`,
  ALREADY_EXISTS: (p: { entity: string }) => `That ${p.entity} already exists.`,
  'ALREADY_EXISTS.plan': (p: { id: string }) => `Plan ${p.id} already exists; plans are immutable.`,
  'ALREADY_EXISTS.org': (p: { id: string }) => `An org with id ${p.id} already exists.`,
  REPORT_LOCKED: (p: { date: string }) => `The report of ${p.date} is locked: an evaluation was computed from it, so it is not run again.`,
  INVALID_STATE: (p: { claimId: string; status: ClaimStatus; action: string; possible: readonly string[] }) =>
    `Claim ${p.claimId} is ${p.status}: it cannot ${p.action}${p.possible.length ? ` (possible: ${p.possible.join(', ')})` : ''}.`,
  'INVALID_STATE.documents': (p: { claimId: string; status: ClaimStatus }) =>
    `Claim ${p.claimId} is ${p.status}: documents change only in draft or returned.`,
  'INVALID_STATE.decide': (p: { status: ClaimStatus }) => `Only a submitted claim can be decided; this one is ${p.status}.`,
  'INVALID_STATE.evaluationApprove': (p: { status: string }) => `Only a draft can be approved; this evaluation is ${p.status}.`,
  'INVALID_STATE.evaluationPayout': (p: { status: string }) => `Only an approved evaluation can be paid; this one is ${p.status}.`,
  'INVALID_STATE.notPayable': (p: { count: number }) => `${p.count} claim(s) are not approved and unpaid; nothing was paid.`,
  'INVALID_STATE.inPayment': (p: { status: ClaimStatus; paymentId: string }) => `is ${p.status} in payment ${p.paymentId}`,
  'INVALID_STATE.beingPaid': (p: { paymentId: string }) => `is being paid in payment ${p.paymentId}`,
  'INVALID_STATE.notApproved': (p: { status: ClaimStatus }) => `is ${p.status}, not approved`,
  IDEMPOTENCY_KEY_REUSED: () => 'This Idempotency-Key was used with a different request.',
  SERVICE_UNAVAILABLE: () => 'The data store is busy; retry shortly.',
  'SERVICE_UNAVAILABLE.partlyEnrolled': (p: { count: number }) =>
    `The data store failed part-way: ${p.count} rows were enrolled; retry the roster to finish.`,
  'SERVICE_UNAVAILABLE.payment': (p: { paymentId: string }) =>
    `The data store failed during payment ${p.paymentId}; the system finishes or undoes it by itself, and no part of it is ever shown paid meanwhile. Retry shortly.`,
  INTERNAL: () => 'Something went wrong on our side; it has been logged.',
  PAYMENT_IN_PROGRESS: (p: { paymentId: string; seconds: number }) =>
    `Payment ${p.paymentId} holding some of these claims is still in progress; retry in ${p.seconds} s.`,
  PAYMENT_CANCELLED: () => 'The payment was cancelled while it was being written; nothing was paid.',
  NOT_A_UNIT: (p: { orgId: string; kind: OrgKind; why: 'members' | 'enrol' | 'enrolments' }) =>
    `Org ${p.orgId} is ${ORG_KIND_EN[p.kind]}; ${WHY_UNIT_EN[p.why]}.`,
  SAME_UNIT: (p: { enrolmentId: string; unitId: string }) => `Enrolment ${p.enrolmentId} is already in ${p.unitId}.`,
  ENROLMENT_CLOSED: (p: { planId: string; open: string; close: string }) =>
    `Enrolment in ${p.planId} is open from ${p.open} to ${p.close}.`,
  SUBSIDY_TOO_HIGH: (p: { totalFen: number; lowestFen: number; started: boolean }) =>
    `Administration and union together pay ${p.totalFen} fen per share, more than the plan's lowest per-share price of ${p.lowestFen} fen; ${p.started ? 'nobody was enrolled' : 'nothing was started'}.`,
  'SUBSIDY_TOO_HIGH.notWhole': (p: { started: boolean }) =>
    `Subsidies per share must be whole fen, 0 or more; ${p.started ? 'nobody was enrolled' : 'nothing was started'}.`,
  PREDECESSOR_UNKNOWN: (p: { id: string }) => `Predecessor plan ${p.id} does not exist.`,
  PARENT_UNKNOWN: (p: { id: string }) => `Parent org ${p.id} does not exist.`,
  PARENT_IS_UNIT: () => 'Units are leaves: an org cannot be created under a unit.',
  TOO_MANY_DOCUMENTS: (p: { max: number }) => `A claim holds at most ${p.max} documents; remove one first.`,
  DOCUMENTS_MISSING: (p: Docs) => `Upload before submitting: ${docs(p.kinds)}.`,
  'DOCUMENTS_MISSING.one': (p: { kind: DocumentKind }) => `an uploaded ${DOC_EN[p.kind]} is required`,
  DOCUMENT_INVALID: (p: Docs) => `These documents are not as declared: ${docs(p.kinds)}; upload them again.`,
  'DOCUMENT_INVALID.notUploaded': (p: { kind: DocumentKind }) => `${DOC_EN[p.kind]}: not uploaded`,
  'DOCUMENT_INVALID.size': (p: { kind: DocumentKind; bytes: number }) =>
    `${DOC_EN[p.kind]}: the size differs from the declared ${p.bytes} bytes`,
  'DOCUMENT_INVALID.type': (p: { kind: DocumentKind; contentType: string }) =>
    `${DOC_EN[p.kind]}: the content type differs from the declared ${p.contentType}`,
  'DOCUMENT_INVALID.bytes': (p: { kind: DocumentKind; type: string }) => `${DOC_EN[p.kind]}: the file is not a ${p.type}`,
  DATES_INVALID: (p: Field) => `${p.field} must be a real date YYYY-MM-DD.`,
  'DATES_INVALID.admissionAfterDischarge': () => 'The admission date is after the discharge date.',
  'DATES_INVALID.afterToday': (p: Field) => `${p.field} is after today.`,
  'DATES_INVALID.paidAfterToday': () => 'The paid date is after today.',
  'DATES_INVALID.paidBeforeApproval': (p: { count: number }) => `The paid date is before the approval of ${p.count} claim(s).`,
  'DATES_INVALID.notAfterToday': () => 'must not be after today',
  'DATES_INVALID.approvedOn': (p: { date: string }) => `approved on ${p.date}`,
  OUTSIDE_COVERAGE: (p: Field & { start: string; end: string }) => `${p.field} is outside the plan's coverage ${p.start} to ${p.end}.`,
  WAITING_PERIOD: (p: Field & { start: string; accident: boolean }) =>
    `${p.field} is before the ${p.accident ? 'accident benefit start' : 'benefit start (waiting period)'} ${p.start}.`,
  CLAIM_DEADLINE_PASSED: (p: Field & { days: number; from: string }) =>
    `Claims must be filed within ${p.days} days of ${p.field} ${p.from}.`,
  AMOUNTS_INCONSISTENT: () => 'insuranceReimbursedFen + selfPaidInScopeFen exceeds totalExpenseFen.',
  CONDITION_NOT_COVERED: (p: { code: string }) => `Condition ${p.code} is not covered by this plan.`,
  CONDITION_ALREADY_CLAIMED: (p: { claimId: string }) =>
    `This condition is already claimed under this enrolment (claim ${p.claimId}); each condition is paid once.`,
  DUPLICATE_STAY: (p: { claimId: string }) => `This stay overlaps claim ${p.claimId} of the same member.`,
  CAP_EXHAUSTED: (p: { capFen: number }) => `The member's cap of ${p.capFen} fen is used up; this claim would pay nothing.`,
  RULES_LOCKED: (p: { year: number }) => `An evaluation of ${p.year} has been approved: its rules can no longer change.`,
  RULES_MISSING: (p: { year: number }) => `There are no evaluation rules for ${p.year}: set them with PUT /evaluation-rules/${p.year}.`,
  CHECKPOINT_UNKNOWN: (p: { year: number; checkpointId: string }) => `The rules of ${p.year} have no checkpoint ${p.checkpointId}.`,
  REPORT_MISSING: (p: { date: string }) => `There is no stored report of ${p.date} yet: run the report of that date first.`,
  EVALUATION_APPROVED: (p: { year: number; checkpointId: string }) =>
    `The ${p.checkpointId} evaluation of ${p.year} is already approved: it can no longer be replaced.`,
  CONCURRENT_CHANGE: () => 'The report, the rules or the evaluation changed meanwhile; try again.',
  PAID_DATE_IN_FUTURE: () => 'The paid date is after today.',
  PAID_DATE_TOO_EARLY: (p: { date: string }) => `The paid date is before the checkpoint (${p.date}).`,
  REPORT_TOO_LARGE: (p: { mb: string }) =>
    `This report is ${p.mb} MB, more than an answer can carry: download it from links.json (the same content), or ask for one plan with ?planId= or for a smaller subtree with ?orgId=.`,
  PAYLOAD_TOO_LARGE: (p: { mib: number }) => `The request body is larger than ${p.mib} MiB, the API's limit.`,
  NO_DATA_ROWS: () => 'The roster has no data rows.',

  // roster rows (SPEC §4.3) and roster files
  INVALID_ID_NUMBER: (p: { reason: IdReason }) => ID_EN[p.reason],
  ROW_MALFORMED: (p: { reason: RosterReason }) => ROSTER_EN[p.reason.key](p.reason as never),
  INVALID_NAME: (p: { reason: NameReason; max?: number }) => NAME_EN[p.reason].replace('{max}', String(p.max ?? '')),
  INVALID_SHARES: (p: { max: number }) => `shares must be a whole number from 1 to ${p.max}`,
  INVALID_PHONE: () => 'the phone must be an 11-digit mainland mobile number starting with 1',
  AGE_OUT_OF_RANGE: (p: { min: number; max: number }) =>
    `this plan admits members aged ${p.min} to ${p.max} on the first day of coverage; this person is outside that range`,
  DUPLICATE_IN_REQUEST: (p: { first: number }) => `the same person is on row ${p.first}`,
  ALREADY_ENROLLED: () => 'this person is already enrolled in this plan',
  ROSTER_FILE: (p: { reason: RosterReason }) => ROSTER_EN[p.reason.key](p.reason as never),
  // corrections, backdating, lookup (SPEC §4.3)
  XLS_NOT_SUPPORTED: () =>
    'This is an old .xls workbook (or a password-protected one), which cannot be read: open it in Excel and save it as "Excel 工作簿 (*.xlsx)", then send that file.',
  ENROLLED_DATE_OUT_OF_RANGE: (p: { planId: string; open: string; today: string }) =>
    `enrolledDate must be from the opening of enrolment in ${p.planId} (${p.open}) to today (${p.today}).`,
  ENROLMENT_IN_FORCE: (p: { enrolmentId: string; date: string }) =>
    `Enrolment ${p.enrolmentId} cannot be cancelled: its benefits started on ${p.date}.`,
  'ENROLMENT_IN_FORCE.claimFiled': (p: { enrolmentId: string }) =>
    `Enrolment ${p.enrolmentId} cannot be cancelled: a claim was filed on it.`,
  ENROLMENT_CANCELLED: (p: { enrolmentId: string }) => `Enrolment ${p.enrolmentId} was cancelled; enrol the member again if needed.`,
  'FORBIDDEN.backdate': () => 'Only office or federation staff may backdate an enrolment (enrolledDate).',
  'FORBIDDEN.personOutside': () => 'This person is enrolled only outside your scope.',
  'FORBIDDEN.enrolmentScope': (p: { enrolmentId: string }) => `Enrolment ${p.enrolmentId} is outside your scope.`,
  'NOT_FOUND.person': () => 'No enrolment of this person was found.',
  'FIELD.xlsImport': () => 'an old .xls workbook cannot be read: save it from Excel as "Excel 工作簿 (*.xlsx)" and import that',
  'FIELD.enrolledDateInBody': () => 'a JSON roster sends enrolledDate in the body',
  'FIELD.formUnreadable': () => 'the form could not be read: send it as multipart/form-data with one file',
  'FIELD.formParts': (p: { files: number; fields: number }) =>
    `send exactly one file part and no other fields (this form has ${p.files} files and ${p.fields} other fields); planId and co-funding go in the query`,
  'VALIDATION_FAILED.form': () => 'The form could not be read.',
  // plan simulation (SPEC §4.6)
  BENEFIT_KIND_MISMATCH: (p: { planId: string; planKind: string; candidateKind: string }) =>
    `Plan ${p.planId} is a ${p.planKind} plan: simulate it with ${p.planKind} benefit rules, not ${p.candidateKind}.`,
  SIMULATION_OUT_OF_RANGE: () => 'The candidate’s prices or amounts give figures too large to count exactly; use realistic amounts.',
  SIMULATION_MISMATCH: (p: { planId: string }) =>
    `The approvals of plan ${p.planId} replayed under its own rules do not match its recorded totals, so no simulation can be trusted: run the reconciliation (npm run reconcile) and try again.`,
  'CONCURRENT_CHANGE.plan': (p: { planId: string }) =>
    `Plan ${p.planId} kept changing while it was read (approvals or enrolments landing); try again.`,

  // Report prose (SPEC §5): report.json's notes, report.html and the console, not problems.
  'REPORT.asOfNote': () =>
    'Figures are the exact counters as recorded up to the end of date (Asia/Shanghai), whenever the report ran; asOf is when they were read. Org names, headcounts and targets are as they stood at asOf.',
  'REPORT.projectionThin': (p: { approvedClaims: number; elapsedDays: number; minClaims: number; minDays: number }) =>
    `The projection rests on too little data (${p.approvedClaims} approved claim(s), ${p.elapsedDays} day(s) of coverage; it needs at least ${p.minClaims} claims and ${p.minDays} days): one claim more or less moves it a great deal. Treat it as a rough indication only.`,
} satisfies Record<string, (p: never) => string>;

export type { OrgKind };
const ORG_KIND_EN: Record<OrgKind, string> = { federation: 'a federation', office: 'an office', agency: 'an agency', unit: 'a unit' };
type ClaimStatus = string;
const WHY_UNIT_EN = { members: 'members belong to units', enrol: 'members enrol in units', enrolments: 'enrolments belong to units' };
const ROOT_ONLY_EN = {
  plans: 'Plans are created',
  evaluationRules: 'Evaluation rules are set',
  evaluationsMade: 'Evaluations are made',
  evaluationsApproved: 'Evaluations are approved',
  rewards: 'Rewards are paid',
};
export type PlanUnit = 'fenPositive' | 'fen' | 'permille' | 'atLeastOne' | 'days' | 'daysAtLeastOne' | 'years';
const PLAN_UNIT_EN: Record<PlanUnit, string> = {
  fenPositive: 'fen, more than 0',
  fen: 'fen',
  permille: '‰',
  atLeastOne: 'at least 1',
  days: 'days',
  daysAtLeastOne: 'days, at least 1',
  years: 'years',
};

export type IdReason =
  | 'notString'
  | 'length'
  | 'digits'
  | 'checkChar'
  | 'province'
  | 'birthDate'
  | 'before1900'
  | 'future'
  | 'excelDigitsLost'
  | 'excelXLost';
const ID_EN: Record<IdReason, string> = {
  notString: 'the ID number must be written as text',
  length: 'the ID number must be 18 characters long',
  digits: 'the ID number must be 17 digits followed by a digit or X',
  checkChar: 'the ID number’s check character does not match: probably a typing error',
  province: 'the ID number does not start with a valid province code',
  birthDate: 'the ID number does not contain a real birth date',
  before1900: 'the birth date in the ID number is before 1900',
  future: 'the birth date in the ID number is in the future',
  excelDigitsLost:
    'Excel turned this ID number into a rounded number and its last digits are lost: format the ID number column as text (设置为文本格式) and enter the numbers again',
  excelXLost:
    'the trailing X of this ID number is missing (Excel drops it from numbers): format the ID number column as text (设置为文本格式) and enter the numbers again',
};

export type NameReason = 'notString' | 'required' | 'tooLong' | 'invisible' | 'digits' | 'letters';
const NAME_EN: Record<NameReason, string> = {
  notString: 'the name must be written as text',
  required: 'the name is required',
  tooLong: 'the name must be at most {max} characters',
  invisible: 'the name must not contain control or invisible characters',
  digits: 'the name must not contain digits',
  letters: 'the name may contain only letters, with single spaces, hyphens, apostrophes or middle dots between them',
};

/** Why a roster file (or one of its lines) cannot be read: counts and line numbers only, never a cell. */
export type RosterReason =
  | { key: 'cells'; cells: number; width: number }
  | { key: 'beyond'; width: number }
  | { key: 'tooManyRows'; max: number }
  | { key: 'noHeader' }
  | { key: 'header'; missing: RosterColumn[]; duplicated: RosterColumn[] }
  | { key: 'xlsxNotCsv' }
  | { key: 'xlsNotCsv' }
  | { key: 'utf16' }
  | { key: 'encoding' }
  | { key: 'csvQuote'; line?: number }
  | { key: 'csvLineTooLong'; max: number; line?: number }
  | { key: 'csvMalformed'; line?: number }
  | { key: 'damaged' }
  | { key: 'tooManyTexts'; max: number }
  | { key: 'tooManyRawRows'; max: number }
  | { key: 'tooSlow' }
  | { key: 'unpackedTooBig'; mib: number }
  | { key: 'ratio'; max: number }
  | { key: 'oldOrProtected' }
  | { key: 'notXlsx' }
  | { key: 'unreadableXlsx' }
  | { key: 'partTooLarge' }
  | { key: 'tooManyParts' }
  | { key: 'noSheet' }
  | { key: 'tooLarge'; max: number }
  | { key: 'uploadMissing' }
  | { key: 'emptyFile' }
  | { key: 'uploadLarger'; bytes: number; declared: number }
  | { key: 'workbookNotCsv' }
  | { key: 'notText' }
  | { key: 'fileReplaced' };
export type RosterColumn = 'idNumber' | 'name' | 'shares' | 'phone';
type R<K extends RosterReason['key']> = Extract<RosterReason, { key: K }>;
const SAVE_AS_CSV = 'in Excel choose 另存为 → CSV UTF-8 (逗号分隔)(*.csv), or send the workbook itself';
const SAVE_AS_XLSX = 'open it in Excel and save it as Excel 工作簿 (*.xlsx)';
const COLUMN_EN: Record<RosterColumn, string> = {
  idNumber: 'ID number (身份证号 or idNumber)',
  name: 'name (姓名 or name)',
  shares: 'shares (份数 or shares)',
  phone: 'phone (手机号 or phone)',
};
const nearLine = (line?: number) => (line === undefined ? '' : ` (near line ${line} of the file)`);
const ROSTER_EN: { [K in RosterReason['key']]: (p: R<K>) => string } = {
  cells: (p) => `this line has ${p.cells} cells but the header has ${p.width}`,
  beyond: (p) => `this row has a value beyond the ${p.width} columns of the header`,
  tooManyRows: (p) => `the roster has more than ${p.max} rows: split it into smaller files`,
  noHeader: () => 'the roster has no header row: the file is empty or holds only a title',
  header: (p) =>
    `the roster needs a header row naming its columns${p.missing.length ? `; add a column for: ${list(p.missing.map((c) => COLUMN_EN[c]))}` : ''}${
      p.duplicated.length ? `; keep one column each for: ${list(p.duplicated.map((c) => COLUMN_EN[c]))}` : ''
    }`,
  xlsxNotCsv: () => `this is an Excel workbook (.xlsx), not CSV: upload it as a workbook, or ${SAVE_AS_CSV}`,
  xlsNotCsv: () => `this is an old Excel workbook (.xls), not CSV: ${SAVE_AS_CSV}`,
  utf16: () => `the file is UTF-16 ("Unicode text"), which is not accepted: ${SAVE_AS_CSV}`,
  encoding: () => `the file is not text in UTF-8 or GB18030/GBK throughout: ${SAVE_AS_CSV}`,
  csvQuote: (p) => `a quoted cell is never closed${nearLine(p.line)}`,
  csvLineTooLong: (p) => `a line is longer than ${p.max} characters, most likely an unclosed quote${nearLine(p.line)}`,
  csvMalformed: (p) => `the CSV is not well formed${nearLine(p.line)}`,
  damaged: () => 'the workbook is damaged (its XML could not be read): open it in Excel and save it again',
  tooManyTexts: (p) => `the workbook holds more than ${p.max} distinct texts, far more than a roster: save only the roster sheet`,
  tooManyRawRows: (p) =>
    `the file has more than ${p.max} rows, blank rows included: delete the empty rows below the roster or split it into smaller files`,
  tooSlow: () => 'the file takes too long to read: it holds far more than a roster; save only the roster sheet',
  unpackedTooBig: (p) => `the workbook unpacks to more than ${p.mib} MiB, far more than a roster of its size: save only the roster sheet`,
  ratio: (p) => `a part of the workbook unpacks to more than ${p.max} times its size, which no roster does: save it again from Excel`,
  oldOrProtected: () => `this is an old .xls workbook or a password-protected one: ${SAVE_AS_XLSX}`,
  notXlsx: () => 'this is not an Excel .xlsx workbook (a CSV file must be sent as text/csv)',
  unreadableXlsx: () => `this is not a readable Excel .xlsx workbook: ${SAVE_AS_XLSX}`,
  partTooLarge: () => 'a part of the workbook is too large when unpacked: open it in Excel and save it again',
  tooManyParts: () => 'the workbook has too many parts: open it in Excel and save it again',
  noSheet: () => 'the workbook has no readable first sheet: open it in Excel and save it again',
  tooLarge: (p) => `the file is larger than ${p.max} bytes`,
  uploadMissing: () => 'no file was uploaded for this import',
  emptyFile: () => 'the uploaded file is empty',
  uploadLarger: (p) =>
    `the uploaded file has ${p.bytes} bytes, more than the ${p.declared} declared; start a new import with its real size`,
  workbookNotCsv: () => 'this is an Excel workbook, not a CSV file: start a new import declaring the Excel content type',
  notText: () => 'this is not a text (CSV) file',
  fileReplaced: () => 'the file was replaced while it was being imported; start a new import',
};
