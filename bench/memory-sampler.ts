/**
 * Peak memory while the benchmark runs: the process RSS (JavaScript heap plus DuckDB's native
 * allocations) sampled on a timer, and DuckDB's own accounting (duckdb_memory()) sampled on a
 * connection of its own so a sample never waits behind a long query on the primary connection.
 */
import type { Engine } from "../src/engine/duckdb.ts";

type Connection = Awaited<ReturnType<Engine["connect"]>>;

/** Peaks seen so far, in bytes. */
export interface MemoryPeaks {
  rssBytes: number;
  duckdbBytes: number;
}

/** Samples RSS every `rssEveryMs` and DuckDB's memory every `duckdbEveryMs` until stopped. */
export class MemorySampler {
  private readonly peaks: MemoryPeaks = { rssBytes: 0, duckdbBytes: 0 };
  private phasePeaks: MemoryPeaks = { rssBytes: 0, duckdbBytes: 0 };
  private readonly timers: NodeJS.Timeout[] = [];
  private sampling = false;
  private stopped = false;

  private constructor(private readonly connection: Connection) {}

  /** Starts sampling on a new connection of `engine`. */
  static async start(engine: Engine, rssEveryMs = 50, duckdbEveryMs = 200): Promise<MemorySampler> {
    const sampler = new MemorySampler(await engine.connect());
    sampler.sampleRss();
    sampler.timers.push(setInterval(() => sampler.sampleRss(), rssEveryMs));
    sampler.timers.push(setInterval(() => void sampler.sampleDuckdb(), duckdbEveryMs));
    for (const timer of sampler.timers) timer.unref();
    return sampler;
  }

  private record(key: keyof MemoryPeaks, bytes: number): void {
    this.peaks[key] = Math.max(this.peaks[key], bytes);
    this.phasePeaks[key] = Math.max(this.phasePeaks[key], bytes);
  }

  private sampleRss(): void {
    this.record("rssBytes", process.memoryUsage.rss());
  }

  private async sampleDuckdb(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      const reader = await this.connection.runAndReadAll(
        "SELECT sum(memory_usage_bytes)::BIGINT AS bytes FROM duckdb_memory()",
      );
      this.record("duckdbBytes", Number(reader.getRows()[0]?.[0] ?? 0));
    } catch {
      // A sample lost to a closing engine is not worth failing the run for.
    } finally {
      this.sampling = false;
    }
  }

  /** Peaks over the whole run. */
  overall(): MemoryPeaks {
    return { ...this.peaks };
  }

  /** Peaks since the previous call (per-phase figures), then resets them. */
  takePhase(): MemoryPeaks {
    this.sampleRss();
    const phase = this.phasePeaks;
    this.phasePeaks = { rssBytes: 0, duckdbBytes: 0 };
    return phase;
  }

  /** Stops sampling and closes the connection. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    while (this.sampling) await new Promise((resolve) => setTimeout(resolve, 10));
    this.sampleRss();
    this.connection.closeSync();
  }
}
