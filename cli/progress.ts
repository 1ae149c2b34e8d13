import { Presets, SingleBar } from 'cli-progress';
import { humanBytes, humanDuration } from './human.ts';

/** A progress bar on a terminal; on anything else (CI logs, pipes) one line when the step starts and ends. */
export type Progress = {
  readonly update: (value: number, total?: number) => void;
  readonly increment: (by?: number) => void;
  readonly stop: (summary?: string) => void;
};

export const startProgress = (
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
  options: { readonly bytes?: boolean } = {},
): Progress => {
  if (!stream.isTTY) {
    stream.write(`${label}...\n`);
    let value = 0;
    return {
      update: (v) => {
        value = v;
      },
      increment: (by = 1) => {
        value += by;
      },
      stop: (summary) => stream.write(`${label}: ${summary ?? `${value} done`}\n`),
    };
  }
  const bar = new SingleBar(
    {
      format: `${label.padEnd(28)} {bar} {value}/{total} | {duration_formatted}`,
      stream,
      hideCursor: true,
      ...(options.bytes
        ? {
            formatValue: (v: number, _o: unknown, type: string) =>
              type === 'value' || type === 'total' ? humanBytes(v) : String(v),
          }
        : {}),
    },
    Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    update: (value, newTotal) => {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(value);
    },
    increment: (by = 1) => bar.increment(by),
    stop: (summary) => {
      bar.stop();
      if (summary) stream.write(`${label}: ${summary}\n`);
    },
  };
};

/** A one-line status that changes over time (a stage, with the time since it started), for waits. */
export type StatusLine = {
  readonly set: (text: string) => void;
  readonly stop: (summary: string) => void;
};

/**
 * A status line: on a terminal, redrawn in place every second with the time elapsed, taken from the
 * clock each time (so it never drifts); elsewhere, one line each time the text changes.
 */
export const startStatusLine = (label: string, stream: NodeJS.WriteStream = process.stderr): StatusLine => {
  const started = Date.now();
  let text = '';
  const line = () => `${label}: ${text} (${humanDuration(Date.now() - started)})`;
  if (!stream.isTTY) {
    return {
      set: (next) => {
        if (next !== text) stream.write(`${label}: ${next}\n`);
        text = next;
      },
      stop: (summary) => stream.write(`${label}: ${summary} after ${humanDuration(Date.now() - started)}\n`),
    };
  }
  const draw = () => stream.write(`\r\u001b[2K${line()}`);
  const timer = setInterval(draw, 1000);
  timer.unref();
  return {
    set: (next) => {
      text = next;
      draw();
    },
    stop: (summary) => {
      clearInterval(timer);
      text = summary;
      stream.write(`\r\u001b[2K${line()}\n`);
    },
  };
};
