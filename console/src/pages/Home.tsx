import { ROLE_NAMES } from '../auth';
import type { PageProps } from '../main';

const TASKS: Record<string, [string, string][]> = {
  federation_admin: [
    ['#/plans', '建立和查看互助方案'],
    ['#/orgs', '管理办事处、代办点和基层单位，下达目标'],
    ['#/review', '审核互助金申请'],
    ['#/payments', '支付已核准的互助金'],
    ['#/report', '查看统计报表'],
    ['#/evaluations', '半年初评、年终总评和奖励兑现'],
    ['#/simulation', '新方案测算'],
  ],
  office_staff: [
    ['#/orgs', '管理下属单位和目标'],
    ['#/rosters', '上传参保名单（可补录）'],
    ['#/review', '审核互助金申请'],
    ['#/report', '查看统计报表'],
  ],
  unit_admin: [
    ['#/rosters', '上传本单位参保名单'],
    ['#/members', '查看本单位会员'],
    ['#/claims', '为会员申请互助金、上传票据'],
    ['#/report', '查看本单位统计'],
  ],
};

export default ({ session }: PageProps) => (
  <section>
    <h1>您好，{ROLE_NAMES[session.role]}</h1>
    <p>
      所属组织：<a href={`#/orgs/${session.org}`}>{session.org}</a>
    </p>
    <h2>常用事项</h2>
    <ul class="tasks">
      {TASKS[session.role]?.map(([href, label]) => (
        <li key={href}>
          <a href={href}>{label}</a>
        </li>
      ))}
    </ul>
  </section>
);
