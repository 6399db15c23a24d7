/**
 * Memoises an async value for the life of the container, but only once it
 * succeeds: concurrent callers share the one call in flight, and a failure
 * (a throttled KMS or Secrets Manager call) is forgotten so the next caller
 * tries again instead of every later request failing with the cached error.
 */
export const memoizeSuccess = <T>(load: () => Promise<T>): (() => Promise<T>) => {
  let current: Promise<T> | undefined;
  return () => {
    if (!current) {
      const attempt = load();
      current = attempt;
      attempt.catch(() => {
        if (current === attempt) current = undefined;
      });
    }
    return current;
  };
};

/** memoizeSuccess per key (e.g. one decrypted data key per wrapped key). */
export const memoizeSuccessBy = <K, T>(load: (key: K) => Promise<T>): ((key: K) => Promise<T>) => {
  const byKey = new Map<K, () => Promise<T>>();
  return (key) => {
    let get = byKey.get(key);
    if (!get) {
      get = memoizeSuccess(() => load(key));
      byKey.set(key, get);
    }
    return get();
  };
};
