import cliProgress from "cli-progress";

/** A progress display: a bar on a terminal, an updating cell output in a tslab notebook, or nothing. */
export interface Progress {
  /** Sets the number of units done so far. */
  update(done: number): void;
  /** Adds `n` (default 1) units done. */
  increment(n?: number): void;
  /** Changes the total (e.g. once a download's size is known). */
  setTotal(total: number): void;
  /** Final render; call once when done (also on error). */
  stop(): void;
}

export interface ProgressParams {
  /** Units expected in all. */
  total: number;
  /** Shown before the bar, e.g. "Map" or "Downloading train.parquet". */
  label: string;
  /** Unit shown after the counts, e.g. "examples" or "B". */
  unit?: string;
  /**
   * false: never show anything. true (default): show where someone can see it — a bar when `stream`
   * is a terminal, an updating display inside a tslab notebook, nothing otherwise. The environment
   * variables Python's libraries honour (HF_DATASETS_DISABLE_PROGRESS_BARS, HF_HUB_DISABLE_PROGRESS_BARS) also turn it off.
   */
  progress?: boolean;
  /** Where a terminal bar goes. Default process.stderr, so stdout stays clean for data. */
  stream?: NodeJS.WriteStream;
}

interface TslabDisplay {
  text(s: string): void;
  html(s: string): void;
}

const NOOP: Progress = { update() {}, increment() {}, setTotal() {}, stop() {} };

function envDisabled(): boolean {
  const on = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v.trim());
  return on(process.env.HF_DATASETS_DISABLE_PROGRESS_BARS) || on(process.env.HF_HUB_DISABLE_PROGRESS_BARS);
}

/**
 * tslab hooks `require("tslab")` for notebook code only; from a library the kernel's instance is reached
 * through the `__tslab__` global it installs. Outside a notebook this is undefined.
 */
function tslabDisplay(): TslabDisplay | undefined {
  const hook = (globalThis as { __tslab__?: { require?: (id: string) => unknown } }).__tslab__;
  if (!hook?.require) return undefined;
  try {
    const tslab = hook.require("tslab") as { newDisplay?: () => TslabDisplay };
    return tslab.newDisplay?.();
  } catch {
    return undefined;
  }
}

function formatCount(n: number, unit: string | undefined): string {
  if (unit === "B") {
    if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(2)} GiB`;
    if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
    if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
    return `${n} B`;
  }
  return unit ? `${n.toLocaleString("en-US")} ${unit}` : n.toLocaleString("en-US");
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);
}

function notebookProgress(display: TslabDisplay, params: ProgressParams): Progress {
  let total = params.total;
  let done = 0;
  let lastRender = 0;
  const started = Date.now();
  const render = (force: boolean) => {
    const now = Date.now();
    // Each render is a kernel message: keep them to a few per second.
    if (!force && now - lastRender < 150) return;
    lastRender = now;
    const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0;
    const secs = (now - started) / 1000;
    const text = `${params.label}: ${pct.toFixed(0)}% ${formatCount(done, params.unit)} / ${formatCount(total, params.unit)} [${secs.toFixed(1)}s]`;
    display.html(
      `<div style="font-family:monospace">${escapeHtml(params.label)}: ` +
        `<progress value="${done}" max="${Math.max(total, 1)}" style="width:40%;vertical-align:middle"></progress> ` +
        `${escapeHtml(text.slice(params.label.length + 2))}</div>`,
    );
  };
  render(true);
  return {
    update(n) {
      done = n;
      render(false);
    },
    increment(n = 1) {
      done += n;
      render(false);
    },
    setTotal(t) {
      total = t;
      render(false);
    },
    stop() {
      render(true);
    },
  };
}

function terminalProgress(stream: NodeJS.WriteStream, params: ProgressParams): Progress {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${params.label} |{bar}| {percentage}% {value}/{total}${params.unit ? ` ${params.unit}` : ""} | {duration_formatted} | eta {eta_formatted}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
      fps: 10,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(params.total, 0);
  let stopped = false;
  return {
    update: (n) => bar.update(n),
    increment: (n = 1) => bar.increment(n),
    setTotal: (t) => bar.setTotal(t),
    stop: () => {
      if (stopped) return;
      stopped = true;
      bar.stop();
    },
  };
}

/** Creates the progress display fit for where the code runs (see {@link ProgressParams.progress}). */
export function createProgress(params: ProgressParams): Progress {
  if (params.progress === false || envDisabled()) return NOOP;
  const display = tslabDisplay();
  if (display) return notebookProgress(display, params);
  const stream = params.stream ?? process.stderr;
  if (stream.isTTY) return terminalProgress(stream, params);
  return NOOP;
}
