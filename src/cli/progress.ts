/**
 * A progress bar counted in days (cli-progress), for click loads: days done of the total, rows
 * done, rows/s and ETA. The ingest bar counts input bytes, which a generated load has none of.
 * Drawn only when enabled (the CLI passes whether stderr is a TTY); otherwise every call does
 * nothing, so piped output and logs stay clean.
 */
import cliProgress from "cli-progress";

/** The bar's update callback and stop(). */
export interface DayProgress {
  /** Reports `daysDone` of the total, with the rows done so far. */
  update(daysDone: number, rowsDone: bigint, day: string): void;
  stop(): void;
}

/** Options of the day progress bar. */
export interface DayProgressOptions {
  enabled: boolean;
  /** Days in the whole run. */
  days: number;
  /** Text before the bar (e.g. the table name). */
  label?: string;
  /** Where to draw (default stderr). */
  stream?: NodeJS.WritableStream;
}

/** A bar over `days` days, or a no-op when not enabled. */
export function createDayProgress(options: DayProgressOptions): DayProgress {
  if (!options.enabled) return { update: () => undefined, stop: () => undefined };
  const label = options.label ? `${options.label} ` : "";
  const bar = new cliProgress.SingleBar(
    {
      format: `${label}[{bar}] {value}/{total} days | {rows} rows, {rate} rows/s | ETA {eta_formatted} | {day}`,
      stream: options.stream ?? process.stderr,
      hideCursor: true,
      etaBuffer: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = performance.now();
  bar.start(options.days, 0, { rows: 0, rate: 0, day: "" });
  return {
    update(daysDone, rowsDone, day) {
      const seconds = Math.max((performance.now() - started) / 1000, 0.001);
      bar.update(daysDone, { rows: rowsDone.toString(), rate: Math.round(Number(rowsDone) / seconds), day });
    },
    stop: () => bar.stop(),
  };
}
