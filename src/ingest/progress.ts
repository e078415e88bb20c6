/**
 * A terminal progress bar for ingests (cli-progress): bytes done of the total, records/s and ETA.
 * Drawn only when enabled (the CLI passes whether stderr is a TTY); otherwise the callback and
 * stop() do nothing, so piped output and logs stay clean.
 */
import cliProgress from "cli-progress";
import type { IngestProgress } from "./ingest-options.ts";

/** Options of the progress reporter. */
export interface ProgressReporterOptions {
  /** Whether to draw (e.g. `process.stderr.isTTY`). */
  enabled: boolean;
  /** Text before the bar (e.g. the table name). */
  label?: string;
  /** Where to draw (default stderr). */
  stream?: NodeJS.WritableStream;
}

/** The onProgress callback for ingestFiles and stop() to end the bar. */
export interface ProgressReporter {
  onProgress: (progress: IngestProgress) => void;
  stop: () => void;
}

/** Human bytes: 1.5 MB. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** A reporter drawing a bar when enabled, a no-op otherwise. */
export function createProgressReporter(options: ProgressReporterOptions): ProgressReporter {
  if (!options.enabled) return { onProgress: () => undefined, stop: () => undefined };
  const label = options.label ? `${options.label} ` : "";
  const bar = new cliProgress.SingleBar(
    {
      format: `${label}[{bar}] {percentage}% | {done}/{size} | {rows} rows, {rate} rows/s | {committed} committed | ETA {eta_formatted} | {file}`,
      stream: options.stream ?? process.stderr,
      hideCursor: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  let running = false;
  return {
    onProgress(progress) {
      const payload = {
        done: formatBytes(progress.bytesRead),
        size: formatBytes(progress.bytesTotal),
        rows: progress.rowsRead,
        committed: progress.rowsCommitted,
        rate: Math.round(progress.rowsRead / Math.max((Date.now() - started) / 1000, 0.001)),
        file: progress.file,
      };
      if (!running) {
        bar.start(Math.max(progress.bytesTotal, 1), progress.bytesRead, payload);
        running = true;
      } else bar.update(progress.bytesRead, payload);
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}
