import { listUpTo } from '../api';
import type { PageProps } from '../main';
import { Loading, ProblemBox, useLoad } from '../ui';
import { ClaimTable, type ClaimView } from './Claims';

/** The queue sorts everything it shows, so it reads it at once: at most this many. */
export const QUEUE_MAX = 2000;

/** Office staff's queue: submitted claims in the caller's subtree, the longest waiting first. */
export default ({ session }: PageProps) => {
  const list = useLoad(async () => {
    const { items, more } = await listUpTo<ClaimView>('/claims', { orgId: session.org, status: 'submitted' }, QUEUE_MAX);
    const since = (c: ClaimView) => c.lastSubmittedDate ?? c.firstSubmittedDate ?? c.createdAt;
    return { items: items.sort((a, b) => since(a).localeCompare(since(b))), more };
  }, [session.org]);
  return (
    <section>
      <h1>审核队列</h1>
      <p class="hint">按提交时间排列，等得最久的在最前。申请人、提交人和上传材料的人不能审核自己经手的申请（四眼原则）。</p>
      {list.error ? (
        <ProblemBox error={list.error} />
      ) : !list.data ? (
        <Loading />
      ) : (
        <>
          {list.data.more && (
            <p class="notice" data-testid="queue-partial">
              待审核的申请超过 {QUEUE_MAX} 件，这里只排了其中 {QUEUE_MAX} 件。请在“互助金申请”里按单位查看。
            </p>
          )}
          <ClaimTable claims={list.data.items} />
        </>
      )}
    </section>
  );
};
