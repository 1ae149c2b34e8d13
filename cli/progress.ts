import { Presets, SingleBar } from 'cli-progress';

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
    { format: `${label.padEnd(28)} {bar} {value}/{total} | {duration_formatted}`, stream, hideCursor: true },
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
