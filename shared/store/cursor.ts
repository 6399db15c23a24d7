import { validationFailed } from '../http/problem';

/**
 * Opaque list cursors. A cursor is the query's LastEvaluatedKey, base64url
 * JSON. On the way back in it is only accepted if its partition key equals
 * the partition the request is listing, so a client cannot edit a cursor to
 * reach another unit's data: the query stays inside the partition it asked
 * for, which the handler has already scope-checked.
 */
type Key = Record<string, string>;

export const encodeCursor = (lastKey: Record<string, unknown> | undefined): string | null =>
  lastKey ? Buffer.from(JSON.stringify(lastKey), 'utf8').toString('base64url') : null;

export const decodeCursor = (
  cursor: string | undefined,
  expect: { attribute: string; value: string; sortAttribute?: string; sortPrefix?: string },
): Key | undefined => {
  if (cursor === undefined) return undefined;
  const bad = () => validationFailed([{ path: 'query.cursor', message: 'is not a cursor this list issued' }]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw bad();
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw bad();
  const entries = Object.entries(parsed);
  if (entries.length === 0 || entries.length > 4 || !entries.every(([, v]) => typeof v === 'string' && v.length <= 512)) {
    throw bad();
  }
  const key = parsed as Key;
  if (key[expect.attribute] !== expect.value) throw bad();
  if (expect.sortAttribute && expect.sortPrefix && !key[expect.sortAttribute]?.startsWith(expect.sortPrefix)) throw bad();
  return key;
};
