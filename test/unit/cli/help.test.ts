import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../../../cli/main.ts';

/** The commands a user runs (the leaves: `pnd export`, not `pnd`), by their full name. */
const leaves = (command: Command, prefix = ''): [string, Command][] =>
  command.commands.flatMap((c) => {
    const name = `${prefix}${c.name()}`;
    return c.commands.length > 0 ? leaves(c, `${name} `) : [[name, c] as [string, Command]];
  });

/** What `--help` prints for a command, its added text included. */
const helpOf = (command: Command): string => {
  let text = '';
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
  command.outputHelp();
  return text;
};

describe('msht --help', async () => {
  const program = await buildProgram();
  const commands = leaves(program);

  it('lists every command on one line of its own at the top level', () => {
    const top = helpOf(program);
    for (const c of program.commands) {
      const line = top.split('\n').find((l) => l.trimStart().startsWith(`${c.name()} `));
      expect(line, c.name()).toBeDefined();
      expect(line?.length ?? 0, c.name()).toBeLessThanOrEqual(100);
    }
  });

  it.each(commands.map(([name]) => name))('%s lists its exit codes, 0 first, and what 4 means', (name) => {
    const help = helpOf((commands.find(([n]) => n === name) as [string, Command])[1]);
    expect(help).toMatch(/\nExit status:\n {2}0 {2}\S/);
    expect(help).toMatch(/\n {2}4 {2}could not run/);
  });

  it.each([
    'validate',
    'upload',
    'status',
    'report',
    'aggregate',
    'pnd export',
    'pnd ack',
    'pnd release',
    'query',
  ])('%s has --json, naming its JSON Schema', (name) => {
    const help = helpOf((commands.find(([n]) => n === name) as [string, Command])[1]);
    expect(help).toMatch(/--json\s+.*schemas\/json\/cli-[a-z-]+\.schema\.json/s);
  });

  it.each(['demo', 'local', 'upload', 'report', 'aggregate'])(
    '%s has --quiet (and the commands with more to show, --verbose)',
    (name) => {
      const help = helpOf((commands.find(([n]) => n === name) as [string, Command])[1]);
      expect(help).toMatch(/--quiet/);
      if (name === 'demo' || name === 'local') expect(help).toMatch(/--verbose/);
    },
  );
});
