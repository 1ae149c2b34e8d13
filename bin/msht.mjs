#!/usr/bin/env node
// Starts the msht command on Node 24, the Lambda runtime. A shell whose `node` is older (this repository
// pins Node 24 through the `node` npm package) re-runs the command on the pinned binary.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const REQUIRED_MAJOR = 24;
const main = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);

if (major >= REQUIRED_MAJOR) {
  const { run } = await import(main);
  await run(process.argv);
} else {
  let pinned;
  try {
    pinned = createRequire(import.meta.url).resolve('node/bin/node');
  } catch {
    console.error(
      `msht needs Node ${REQUIRED_MAJOR}+ (found ${process.version}). Run \`npm ci\` to install it.`,
    );
    process.exit(2);
  }
  const child = spawn(pinned, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
  });
  // Ctrl-C reaches the child through the terminal's process group; this process just waits for it.
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
}
