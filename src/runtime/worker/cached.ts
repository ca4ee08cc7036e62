/** The promise cached under `key`, computing it on first use; a failure is not cached. */
export function cached<K, T>(cache: Map<K, Promise<T>>, key: K, compute: () => Promise<T>): Promise<T> {
  let promise = cache.get(key);
  if (!promise) {
    promise = compute();
    cache.set(key, promise);
    promise.catch(() => cache.delete(key));
  }
  return promise;
}
