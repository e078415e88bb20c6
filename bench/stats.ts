/** Timing helpers: repetitions with warm-up, percentiles, and wall plus CPU time of a phase. */

/** The q-th percentile (0..100) of `values` by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((q / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/** p50 and p95 of some samples (ms). */
export interface Latency {
  p50: number;
  p95: number;
  samples: number[];
}

/** Latency summary of `samples`. */
export const latency = (samples: number[]): Latency => ({
  p50: percentile(samples, 50),
  p95: percentile(samples, 95),
  samples,
});

/** Runs `work` `warmups` times untimed, then `reps` times timed; returns the wall times (ms). */
export async function repeat(reps: number, warmups: number, work: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmups; i++) await work();
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  return times;
}

/** Wall and CPU time of one piece of work. CPU is the whole process (JS and DuckDB's threads). */
export interface Timed<T> {
  value: T;
  wallMs: number;
  cpuMs: number;
}

/** Times `work` by wall clock and by process CPU (user + system, all threads). */
export async function timed<T>(work: () => Promise<T>): Promise<Timed<T>> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const value = await work();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { value, wallMs, cpuMs: (used.user + used.system) / 1000 };
}
