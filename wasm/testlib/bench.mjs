// Shared by the benchmarks (wasm/bench/): timing and formatting. Nothing here
// is asserted; the test suite never runs the benchmarks.

/** Milliseconds per measurement: BENCH_MS, 500 by default. */
export const budgetMs = Number(process.env.BENCH_MS ?? 500);

/**
 * MB/s (10^6 bytes) of `fn`, which processes `bytes` per call: the best of
 * five rounds of budgetMs / 5 each, so that a busy machine disturbs it less.
 */
export function throughput(bytes, fn) {
  const warmUntil = performance.now() + Math.min(100, budgetMs / 5);
  do fn();
  while (performance.now() < warmUntil);
  let best = 0;
  for (let round = 0; round < 5; round++) {
    let calls = 0;
    const start = performance.now();
    let elapsed;
    do {
      fn();
      calls++;
      elapsed = performance.now() - start;
    } while (elapsed < budgetMs / 5);
    best = Math.max(best, (bytes * calls) / (elapsed / 1000) / 1e6);
  }
  return best;
}

/** A throughput figure, right-aligned. */
export const fmt = (x) => x.toFixed(1).padStart(9);
/** A ratio, right-aligned. */
export const ratio = (x) => `${x.toFixed(2)}x`.padStart(8);
/** A left-aligned column of width n. */
export const col = (s, n) => String(s).padEnd(n);
