import { Writable } from 'node:stream';

/**
 * One convention for how much a command says on stderr, on every command that has more to say than its
 * result: by default progress and notes; `--quiet` only the result (stdout) and errors; `--verbose`
 * (where there is more, e.g. the functions' logs) everything.
 */
export const QUIET_HELP = 'print only the result and errors: no progress bars, status lines or notes';

/** Where a command's progress and notes go: stderr, or nowhere with `--quiet`. */
export const notesStream = (quiet: boolean | undefined): NodeJS.WriteStream =>
  quiet
    ? (Object.assign(
        new Writable({
          write: (_chunk, _encoding, done) => done(),
        }),
        { isTTY: false },
      ) as unknown as NodeJS.WriteStream)
    : process.stderr;
