import { listAll } from '../api';
import type { PageProps } from '../main';
import { Loading, ProblemBox, useLoad } from '../ui';
import { ClaimTable, type ClaimView } from './Claims';

/** Office staff's queue: submitted claims in the caller's subtree, the longest waiting first. */
export default ({ session }: PageProps) => {
  const list = useLoad(async () => {
    const items = await listAll<ClaimView>('/claims', { orgId: session.org, status: 'submitted' });
    const since = (c: ClaimView) => c.lastSubmittedDate ?? c.firstSubmittedDate ?? c.createdAt;
    return items.sort((a, b) => since(a).localeCompare(since(b)));
  }, [session.org]);
  return (
    <section>
      <h1>审核队列</h1>
      <p class="hint">按提交时间排列，等得最久的在最前。申请人、提交人和上传材料的人不能审核自己经手的申请（四眼原则）。</p>
      {list.error ? <ProblemBox error={list.error} /> : !list.data ? <Loading /> : <ClaimTable claims={list.data} />}
    </section>
  );
};
