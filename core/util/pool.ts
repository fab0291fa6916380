// Runs `fn` over items with at most `concurrency` in flight; results in input order, errors kept per item.
export type Settled<T> = { readonly value?: T; readonly error?: unknown };

export async function mapPool<I, T>(
  items: readonly I[],
  concurrency: number,
  fn: (item: I, index: number) => Promise<T>,
  onSettled?: (done: number) => void,
): Promise<Settled<T>[]> {
  const results: Settled<T>[] = new Array(items.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      try {
        results[i] = { value: await fn(items[i]!, i) };
      } catch (error) {
        results[i] = { error };
      }
      onSettled?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
