/**
 * Packing many per-claim writes into TransactWriteItems calls of at most
 * 100 items. Each entry costs a fixed number of items (its claim, its
 * disclosure) plus one shared item per group it belongs to (the counter of
 * its unit and plan, added once per transaction however many entries of the
 * group it holds), and every transaction carries `fixed` items of its own
 * (the payment's condition check). Greedy, in the given order.
 */
export const MAX_TRANSACTION_ITEMS = 100;

export const packChunks = <T>(
  entries: readonly T[],
  groupOf: (e: T) => string,
  opts: { perEntry: number; fixed: number; max?: number },
): T[][] => {
  const max = opts.max ?? MAX_TRANSACTION_ITEMS;
  if (opts.fixed + opts.perEntry + 1 > max) throw new RangeError('one entry does not fit a transaction');
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let groups = new Set<string>();
  let used = opts.fixed;
  for (const e of entries) {
    const g = groupOf(e);
    const cost = opts.perEntry + (groups.has(g) ? 0 : 1);
    if (used + cost > max) {
      chunks.push(chunk);
      chunk = [];
      groups = new Set();
      used = opts.fixed;
    }
    chunk.push(e);
    used += opts.perEntry + (groups.has(g) ? 0 : 1);
    groups.add(g);
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
};
