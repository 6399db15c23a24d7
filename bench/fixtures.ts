import { computeCheckChar } from '../shared/domain/idNumber';
import { shanghaiToday } from '../shared/domain/dates';
import { planOpenOn } from '../test/support/examplePlan';

export interface Member {
  idNumber: string;
  name: string;
  shares: number;
  phone?: string;
}

const NAMES = ['王小明', '李娜', '张伟', '刘洋', '陈静', '杨帆', '赵磊', '黄丽'];
const EPOCH = Date.UTC(1965, 0, 1);
const DAY = 86_400_000;

/**
 * `n` valid, distinct resident ID numbers starting at index `from` (disjoint
 * ranges give disjoint people): province 11..60, birth 1965..1992, a sequence.
 */
export const members = (n: number, from = 0): Member[] =>
  Array.from({ length: n }, (_, i) => {
    const k = from + i;
    const province = 11 + (k % 50);
    const d = Math.floor(k / 50);
    const birth = new Date(EPOCH + (d % 10_000) * DAY).toISOString().slice(0, 10).replaceAll('-', '');
    const seq = String(Math.floor(d / 10_000) % 1000).padStart(3, '0');
    const first17 = `${province}0105${birth}${seq}`;
    return {
      idNumber: first17 + computeCheckChar(first17),
      name: NAMES[k % NAMES.length]!,
      shares: 1 + (k % 3),
      ...(k % 2 === 0 ? { phone: `138${String(k).padStart(8, '0')}` } : {}),
    };
  });

/** A plan whose enrolment window contains today (Asia/Shanghai, real clock), with a renewal price (续保优惠). */
export const openPlanBody = (id: string) => ({
  ...planOpenOn(shanghaiToday(new Date()), id),
  name: '基准测试互助方案',
  renewalContributionPerShareFen: 4000,
});

/** Every bench roster is co-funded (SPEC §4.3): the API and the raw writers write the same split and counters. */
export const BENCH_FUNDING = { administrationPerShareFen: 1000, unionPerShareFen: 1500 };

/**
 * Issue 15: the measured roster renews in part — 3 rows in 10 were enrolled in the plan's predecessor, so
 * they pay the renewal price (renewalContributionPerShareFen) and count as renewing shares. The API run
 * finds them by looking the predecessor up; the other writers get the same flag on the same share of rows.
 */
export const RENEWING_SHARE = 0.3;
export const renews = (i: number): boolean => i % 10 < RENEWING_SHARE * 10;
