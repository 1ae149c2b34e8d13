#!/usr/bin/env node
// Starts the msht command on Node 24, the Lambda runtime. A shell whose `node` is older (this repository
// pins Node 24 through the `node` npm package) re-runs the command on the pinned binary.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const REQUIRED_MAJOR = 24;
const main = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);

/** Runs this command again on `node` with `nodeArgs`, passing signals on and exiting with its status. */
const rerun = (node, nodeArgs, env = process.env) => {
  const child = spawn(node, [...nodeArgs, fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
    stdio: 'inherit',
    env,
  });
  // Ctrl-C reaches the child through the terminal's process group, and npx passes it on too. A signal
  // sent to this process alone (`kill PID`) is passed on, but only if the child has not ended half a
  // second later: one arriving while the child exits would kill it before it has said what it did.
  let forwarded = 0;
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.on(signal, () => {
      setTimeout(() => {
        if (child.exitCode !== null || child.signalCode !== null || Date.now() - forwarded < 2000) return;
        forwarded = Date.now();
        child.kill(signal);
      }, 500);
    });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 130 : 1)));
};

// `msht validate` runs the ingest chain as the ingest function does, with its V8 heap settings
// (functions/ingest/runtime.ts), which bound its memory whatever the file.
const INGEST_COMMANDS = ['validate'];
const ingestRuntime = fileURLToPath(new URL('../functions/ingest/runtime.ts', import.meta.url));

if (
  major >= REQUIRED_MAJOR &&
  INGEST_COMMANDS.includes(process.argv[2]) &&
  !process.env.MSHT_INGEST_RUNTIME
) {
  const { INGEST_NODE_OPTIONS } = await import(ingestRuntime);
  rerun(process.execPath, INGEST_NODE_OPTIONS.split(' '), { ...process.env, MSHT_INGEST_RUNTIME: '1' });
} else if (major >= REQUIRED_MAJOR) {
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
  rerun(pinned, []);
}
