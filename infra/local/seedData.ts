/**
 * What `npm run seed` puts in the local stack (infra/local/seed.ts): a demo
 * federation, its plans and their members. Pure data and deterministic
 * generators only (no I/O, no clock): the same year gives the same ids, the
 * same people and the same claims, which is what makes the seed idempotent.
 * Every name here is invented; every ID number is generated (valid check
 * character, a real region code, a birth date making the person 18–60).
 */
import { addDays } from '../../shared/domain/dates';
import { computeCheckChar } from '../../shared/domain/idNumber';

/** The root org's Chinese name for the demo (SPEC §4.1: the root exists from the start; the seed names it). */
export const ROOT_NAME = '滨江市总工会';

export interface SeedOrg {
  id: string;
  name: string;
  kind: 'office' | 'agency' | 'unit';
  parentId: string | 'ROOT';
  headcount?: number;
  /** Units: the share of the headcount that joins the inpatient plan (‰). */
  joinPermille?: number;
  /** Units: the union pays half of each share (co-funding, SPEC §4.3). */
  unionPays?: boolean;
}

export const OFFICES: SeedOrg[] = [
  { id: 'demo-dongcheng', name: '东城区工会办事处', kind: 'office', parentId: 'ROOT' },
  { id: 'demo-xicheng', name: '西城区工会办事处', kind: 'office', parentId: 'ROOT' },
  { id: 'demo-gaoxin', name: '高新区工会办事处', kind: 'office', parentId: 'ROOT' },
  { id: 'demo-jiguan', name: '市直机关工会工作委员会', kind: 'agency', parentId: 'ROOT' },
];

const unit = (n: number, name: string, parentId: string, headcount: number, joinPermille: number, unionPays = false): SeedOrg => ({
  id: `demo-u${String(n).padStart(2, '0')}`,
  name,
  kind: 'unit',
  parentId,
  headcount,
  joinPermille,
  unionPays,
});

/** 20 units, 3,820 workers; about 2,900 join. Participation varies so some units are below the plan's minimum. */
export const UNITS: SeedOrg[] = [
  unit(1, '滨江机床厂工会', 'demo-dongcheng', 420, 900, true),
  unit(2, '东城第一人民医院工会', 'demo-dongcheng', 360, 850),
  unit(3, '滨江纺织集团工会', 'demo-dongcheng', 300, 700, true),
  unit(4, '东城区实验小学工会', 'demo-dongcheng', 120, 950),
  unit(5, '滨江公交公司工会', 'demo-dongcheng', 260, 500),
  unit(6, '东城环卫所工会', 'demo-dongcheng', 90, 800),
  unit(7, '西城供电局工会', 'demo-xicheng', 280, 900),
  unit(8, '滨江啤酒厂工会', 'demo-xicheng', 200, 650, true),
  unit(9, '西城区中医院工会', 'demo-xicheng', 150, 750),
  unit(10, '滨江自来水公司工会', 'demo-xicheng', 160, 850),
  unit(11, '西城百货大楼工会', 'demo-xicheng', 110, 450),
  unit(12, '滨江钢铁厂工会', 'demo-xicheng', 380, 800, true),
  unit(13, '高新区电子科技公司工会', 'demo-gaoxin', 240, 700),
  unit(14, '滨江软件园工会联合会', 'demo-gaoxin', 180, 550),
  unit(15, '高新区生物制药公司工会', 'demo-gaoxin', 130, 900),
  unit(16, '滨江物流公司工会', 'demo-gaoxin', 150, 600, true),
  unit(17, '高新区建筑公司工会', 'demo-gaoxin', 100, 850),
  unit(18, '市财政局工会', 'demo-jiguan', 60, 1000),
  unit(19, '市教育局工会', 'demo-jiguan', 70, 950),
  unit(20, '市卫生健康委员会工会', 'demo-jiguan', 60, 900),
];

/** The year's enrolment target of a unit (‰ of its headcount), of an office (the sum of its units') and of the root. */
export const UNIT_TARGET_PERMILLE = 800;
export const unitTarget = (u: SeedOrg) => Math.floor(((u.headcount ?? 0) * UNIT_TARGET_PERMILLE) / 1000);
export const officeTarget = (officeId: string) => UNITS.filter((u) => u.parentId === officeId).reduce((s, u) => s + unitTarget(u), 0);
export const rootTarget = () => UNITS.reduce((s, u) => s + unitTarget(u), 0);

/** Plan ids of a year: deterministic, so a second run finds them. */
export const planIds = (year: number) => ({
  inpatient: `demo-zy-${year}`,
  inpatientPrevious: `demo-zy-${year - 1}`,
  critical: `demo-zj-${year}`,
  women: `demo-nz-${year}`,
});

/** 住院医疗互助: 90 元 a share (75 元 renewing), 800 元 deductible a period, 50/60/70 %, cap 30,000 元 a share. */
export const inpatientPlan = (id: string, year: number, coverageEnd: string, predecessorPlanId?: string) => ({
  id,
  name: `${year}年度职工住院医疗互助`,
  coverageStart: `${year}-01-01`,
  coverageEnd,
  enrolmentOpen: `${year - 1}-12-01`,
  enrolmentClose: `${year}-06-30`,
  contributionPerShareFen: 9000,
  renewalContributionPerShareFen: 7500,
  maxShares: 3,
  waitingDays: 90,
  minAge: 18,
  maxAge: 60,
  minUnitParticipationPermille: 600,
  ...(predecessorPlanId ? { predecessorPlanId } : {}),
  benefit: {
    kind: 'banded' as const,
    deductibleFen: 80_000,
    deductibleBasis: 'per_period' as const,
    bands: [
      { uptoFen: 1_000_000, ratePermille: 500 },
      { uptoFen: 3_000_000, ratePermille: 600 },
      { uptoFen: null, ratePermille: 700 },
    ],
    capPerShareFen: 3_000_000,
  },
  claimDeadlineDays: 180,
});

/** 30 diseases of the 重大疾病 list, 10,000 元 a share each. */
export const CRITICAL_ILLNESSES = [
  '恶性肿瘤',
  '急性心肌梗塞',
  '脑中风后遗症',
  '重大器官移植术或造血干细胞移植术',
  '冠状动脉搭桥术',
  '终末期肾病',
  '多个肢体缺失',
  '急性或亚急性重症肝炎',
  '良性脑肿瘤',
  '慢性肝功能衰竭失代偿期',
  '脑炎后遗症或脑膜炎后遗症',
  '深度昏迷',
  '双耳失聪',
  '双目失明',
  '瘫痪',
  '心脏瓣膜手术',
  '严重阿尔茨海默病',
  '严重脑损伤',
  '严重帕金森病',
  '严重Ⅲ度烧伤',
  '严重原发性肺动脉高压',
  '严重运动神经元病',
  '语言能力丧失',
  '重型再生障碍性贫血',
  '主动脉手术',
  '严重慢性呼吸衰竭',
  '严重克罗恩病',
  '严重溃疡性结肠炎',
  '系统性红斑狼疮并发重度肾功能损害',
  '严重类风湿性关节炎',
];

export const criticalPlan = (id: string, year: number, coverageEnd: string) => ({
  id,
  name: `${year}年度职工重大疾病互助`,
  coverageStart: `${year}-01-01`,
  coverageEnd,
  enrolmentOpen: `${year - 1}-12-01`,
  enrolmentClose: `${year}-06-30`,
  contributionPerShareFen: 3000,
  maxShares: 2,
  waitingDays: 90,
  minAge: 18,
  maxAge: 60,
  benefit: {
    kind: 'lump_sum' as const,
    conditions: CRITICAL_ILLNESSES.map((name, i) => ({ code: `ZJ${String(i + 1).padStart(2, '0')}`, name, amountPerShareFen: 1_000_000 })),
    capPerShareFen: 1_000_000,
  },
  claimDeadlineDays: 180,
});

/** 女职工特殊疾病互助: tiers by condition (invasive cancers 8,000 元, others less), cap 8,000 元 a share. */
export const WOMEN_TIERS = [
  { code: 'NZ01', name: '乳腺癌', amountPerShareFen: 800_000 },
  { code: 'NZ02', name: '宫颈癌', amountPerShareFen: 800_000 },
  { code: 'NZ03', name: '卵巢癌', amountPerShareFen: 800_000 },
  { code: 'NZ04', name: '子宫内膜癌', amountPerShareFen: 800_000 },
  { code: 'NZ05', name: '输卵管癌', amountPerShareFen: 800_000 },
  { code: 'NZ06', name: '阴道癌', amountPerShareFen: 500_000 },
  { code: 'NZ07', name: '外阴癌', amountPerShareFen: 500_000 },
  { code: 'NZ08', name: '乳腺原位癌', amountPerShareFen: 300_000 },
  { code: 'NZ09', name: '宫颈原位癌', amountPerShareFen: 300_000 },
  { code: 'NZ10', name: '系统性红斑狼疮', amountPerShareFen: 200_000 },
];

export const womenPlan = (id: string, year: number, coverageEnd: string) => ({
  id,
  name: `${year}年度女职工特殊疾病互助`,
  coverageStart: `${year}-01-01`,
  coverageEnd,
  enrolmentOpen: `${year - 1}-12-01`,
  enrolmentClose: `${year}-06-30`,
  contributionPerShareFen: 2000,
  maxShares: 2,
  waitingDays: 90,
  minAge: 18,
  maxAge: 60,
  benefit: { kind: 'lump_sum' as const, conditions: WOMEN_TIERS.map((t) => ({ ...t })), capPerShareFen: 800_000 },
  claimDeadlineDays: 180,
});

/** The year's evaluation rules (SPEC §4.5): the inpatient plan counts; 5 % of contributions × the tier's multiplier. */
export const evaluationRules = (year: number) => ({
  planIds: [planIds(year).inpatient],
  checkpoints: [
    { id: 'half-year', date: `${year}-06-30`, requiredCompletionPermille: 500 },
    { id: 'year-end', date: `${year}-12-31`, requiredCompletionPermille: 1000 },
  ],
  rewardRatePermille: 50,
  tiers: [
    { minCompletionPermille: 500, multiplierPermille: 1000 },
    { minCompletionPermille: 800, multiplierPermille: 1200 },
    { minCompletionPermille: 1000, multiplierPermille: 1500 },
  ],
});

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤'.split(
    '',
  );
const GIVEN_MALE = '伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林洋'.split('');
const GIVEN_FEMALE = '芳娜敏静丽艳娟霞秀燕玲桂丹萍红梅琳雪婷倩颖慧洁晶佳玉兰英'.split('');

/** Region codes (6 digits, real districts) the generated people come from. */
const REGIONS = ['330102', '330106', '330108', '320102', '320106', '310104', '310115', '110105', '420106', '510107', '440106', '370102'];

export interface Person {
  idNumber: string;
  name: string;
  gender: 'male' | 'female';
  shares: number;
  phone?: string;
}

/**
 * The k-th person of a unit (0-based). Deterministic and distinct: the birth date
 * steps 7 days per person (unit offset keeps units apart), so no two people share
 * (region, birth date, sequence). Ages at `year`-01-01 fall within 20..59.
 */
export const person = (unitIndex: number, k: number, year: number): Person => {
  const i = unitIndex * 1000 + k;
  const birth = addDays(`${year - 59}-03-01`, (i * 7) % (38 * 365));
  const female = i % 2 === 1;
  // The sequence's last digit is the gender (odd = male); 3 digits.
  const seq = (Math.floor(i / (38 * 52)) * 100 + (i % 50) * 2 + (female ? 0 : 1)) % 1000;
  const first17 = `${REGIONS[i % REGIONS.length]}${birth.replaceAll('-', '')}${String(seq).padStart(3, '0')}`;
  const surname = SURNAMES[(i * 31) % SURNAMES.length]!;
  const givenPool = female ? GIVEN_FEMALE : GIVEN_MALE;
  const given = givenPool[(i * 7) % givenPool.length]! + (i % 3 === 0 ? '' : givenPool[(i * 13 + 5) % givenPool.length]!);
  return {
    idNumber: first17 + computeCheckChar(first17),
    name: surname + given,
    gender: female ? 'female' : 'male',
    shares: i % 10 === 0 ? 2 : 1,
    ...(i % 4 === 0 ? { phone: `13${String(800_000_000 + ((i * 7919) % 100_000_000)).padStart(9, '0')}` } : {}),
  };
};

/** The members of a unit in the current inpatient plan; the first 60 % of them were in last year's plan too (renewals). */
export const unitMembers = (unitIndex: number, u: SeedOrg, year: number): Person[] => {
  const n = Math.floor(((u.headcount ?? 0) * (u.joinPermille ?? 0)) / 1000);
  return Array.from({ length: n }, (_, k) => person(unitIndex, k, year));
};
export const RENEWING_PERMILLE = 600;
export const previousMembers = (members: Person[]) => members.slice(0, Math.floor((members.length * RENEWING_PERMILLE) / 1000));
/** Every third member also joins the critical-illness plan; every second woman the women's plan. */
export const criticalMembers = (members: Person[]) => members.filter((_, k) => k % 3 === 0);
export const womenMembers = (members: Person[]) => members.filter((p, k) => p.gender === 'female' && k % 4 === 1);

/** The state a demo claim ends in (SPEC §4.4): every state appears. */
export type SeedClaimState = 'draft' | 'submitted' | 'returned' | 'approved' | 'paid' | 'rejected' | 'withdrawn';

export interface SeedClaim {
  /** Which plan, and which member of which unit (index into UNITS, index into that unit's members). */
  plan: 'inpatient' | 'critical' | 'women';
  unit: number;
  member: number;
  state: SeedClaimState;
  /** Month and day of admission (banded) or diagnosis (lump sum) in the plan's year; the steps follow on fixed offsets. */
  start: string;
  days: number;
  hospital: string;
  diagnosis: string;
  icd10?: string;
  conditionCode?: string;
  selfPaidYuan?: number;
  insuranceYuan?: number;
}

const HOSPITALS = ['滨江市第一人民医院', '浙江大学医学院附属第二医院', '滨江市中医院', '东城区人民医院', '滨江市肿瘤医院'];

/**
 * 24 claims. Members are taken among the renewing ones (indexes < 60 % of a unit), whose
 * benefit starts on 1 January, so stays from February on are covered. The dates lie in
 * February–June: every step happens before the half-year report of 30 June.
 */
export const SEED_CLAIMS: SeedClaim[] = [
  ...(
    [
      ['paid', '02-10', 9, '急性阑尾炎', 'K35.8', 18_000, 6_000],
      ['paid', '02-22', 14, '肺炎', 'J18.9', 26_500, 0],
      ['paid', '03-05', 21, '腰椎间盘突出症', 'M51.2', 42_000, 8_000],
      ['paid', '03-18', 7, '胆囊结石伴胆囊炎', 'K80.1', 15_800, 0],
      ['paid', '03-27', 30, '股骨颈骨折', 'S72.0', 88_000, 20_000],
      ['paid', '04-03', 12, '冠状动脉粥样硬化性心脏病', 'I25.1', 56_000, 0],
      ['paid', '04-11', 5, '急性胃肠炎', 'K52.9', 4_300, 0],
      ['paid', '04-19', 18, '2型糖尿病', 'E11.9', 23_000, 5_000],
      ['approved', '04-25', 10, '高血压病3级', 'I10', 19_000, 0],
      ['approved', '05-02', 8, '急性支气管炎', 'J20.9', 9_800, 0],
      ['approved', '05-09', 16, '脑梗死', 'I63.9', 64_000, 12_000],
      ['approved', '05-14', 6, '肾结石', 'N20.0', 12_500, 0],
      ['rejected', '04-06', 4, '体检', 'Z00.0', 3_000, 0],
      ['rejected', '04-28', 3, '美容手术', 'Z41.1', 20_000, 0],
      ['returned', '05-06', 11, '甲状腺结节', 'E04.1', 17_000, 0],
      ['returned', '05-20', 9, '子宫肌瘤', 'D25.9', 21_000, 0],
      ['submitted', '04-20', 13, '慢性阻塞性肺疾病', 'J44.9', 31_000, 0],
      ['submitted', '05-26', 7, '带状疱疹', 'B02.9', 6_800, 0],
      ['submitted', '06-03', 9, '急性胰腺炎', 'K85.9', 38_000, 0],
      ['draft', '06-08', 5, '痛风', 'M10.9', 5_200, 0],
      ['draft', '06-12', 8, '骨关节炎', 'M19.9', 14_000, 0],
      ['withdrawn', '05-18', 6, '鼻中隔偏曲', 'J34.2', 9_000, 0],
      ['withdrawn', '06-01', 4, '过敏性皮炎', 'L23.9', 2_600, 0],
    ] as const
  ).map(
    ([state, start, days, diagnosis, icd10, selfPaidYuan, insuranceYuan], i): SeedClaim => ({
      plan: 'inpatient',
      unit: i % UNITS.length,
      member: 3 + Math.floor(i / UNITS.length) * 5,
      state,
      start,
      days,
      hospital: HOSPITALS[i % HOSPITALS.length]!,
      diagnosis,
      icd10,
      selfPaidYuan,
      insuranceYuan,
    }),
  ),
  {
    plan: 'critical',
    unit: 0,
    member: 0,
    state: 'paid',
    start: '04-20',
    days: 0,
    hospital: '滨江市肿瘤医院',
    diagnosis: '恶性肿瘤',
    conditionCode: 'ZJ01',
  },
  {
    // At a unit of 东城 (demo-dongcheng), the office whose sign-in the seed prints: its review queue is not empty.
    plan: 'critical',
    unit: 5,
    member: 6,
    state: 'submitted',
    start: '05-30',
    days: 0,
    hospital: '滨江市第一人民医院',
    diagnosis: '急性心肌梗塞',
    conditionCode: 'ZJ02',
  },
  {
    plan: 'women',
    unit: 2,
    member: 1,
    state: 'approved',
    start: '05-12',
    days: 0,
    hospital: '滨江市妇幼保健院',
    diagnosis: '乳腺癌',
    conditionCode: 'NZ01',
  },
];

/** A small real receipt: a one-page PDF and a 1×1 JPEG. */
export const RECEIPT_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);
export const RECEIPT_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=',
  'base64',
);
