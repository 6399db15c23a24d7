/**
 * `npm run seed`: fills the running local stack (`npm start`) with the demo
 * federation of seedData.ts (seedRun.ts does the work), then prints in Chinese
 * what is there and how to sign in. Idempotent: a second run adds nothing.
 * Exit 1 with a one-line message on failure (a re-run completes what is missing).
 */
import { findRunningStack, useRunningStack } from './running';
import { ROOT_NAME } from './seedData';

// The handlers log each request; a seed of a few hundred steps keeps its own output short.
process.env.LOG_LEVEL ??= 'ERROR';

const fail = (message: string): never => {
  console.error(`huzhu seed: ${message}`);
  process.exit(1);
};

const stack = findRunningStack();
if (typeof stack === 'string') fail(stack);
const running = stack as Exclude<typeof stack, string>;
useRunningStack(running);
const { runSeed } = await import('./seedRun');
const { UNITS } = await import('./seedData');

try {
  const s = await runSeed({ log: (line) => console.error(line) });
  const num = (n: number) => n.toLocaleString('zh-CN');
  const plans = Object.entries(s.enrolled)
    .map(([id, e]) => `${id} ${num(e.total)} 人${e.added ? `（本次新增 ${num(e.added)}）` : ''}`)
    .join('；');
  const STATE_ZH: Record<string, string> = {
    draft: '草稿',
    submitted: '待审核',
    returned: '退回补件',
    approved: '已核准待支付',
    paid: '已支付',
    rejected: '不予互助',
    withdrawn: '已撤回',
  };
  const claims = Object.entries(s.claims)
    .map(([state, n]) => `${STATE_ZH[state] ?? state} ${n} 件`)
    .join('，');
  console.log(
    `演示数据已就绪（${s.year} 年度，用时 ${(s.ms / 1000).toFixed(1)} 秒${s.orgsCreated + s.plansCreated + s.claimSteps === 0 ? '；已存在，未重复添加' : ''}）`,
  );
  console.log(`  组织：${ROOT_NAME} ${s.rootOrgId}，3 个办事处、1 个机关工委，${UNITS.length} 个基层单位（本次新建 ${s.orgsCreated}）`);
  console.log(`  方案（本次新建 ${s.plansCreated}）与参加人数：${plans}`);
  console.log(`  互助金申请：${claims}`);
  console.log(`  支付批次：${s.paymentId ?? '无'}（已公示：GET /public/plans/demo-zy-${s.year}/disclosures）`);
  console.log(`  统计报表：${s.reportDates.join('、')}；半年初评：${s.evaluationId}（已审核、已兑现）`);
  console.log('登录（复制令牌放进 Authorization: Bearer …，或粘贴到工作台）：');
  for (const x of s.signIn) console.log(`  ${x.what}：npm run token -- --role ${x.role} --org ${x.org}`);
  console.log(`工作台：${running.url}/console/（本地登录页选角色、填上面的组织编号即可）`);
  console.log(`API：${running.url}    接口文档：${running.url}/docs`);
  process.exit(0);
} catch (e) {
  fail(e instanceof Error ? e.message : String(e));
}
