// `npm run lockfile:fix`: adds package-lock.json entries for Biome's platform binaries that the npm
// registry reachable from the build machines does not serve (it answers 404 for them), so that `npm ci`
// accepts the lock file. Those entries are optional and for other platforms: npm ci never fetches them here.
import { readFileSync, writeFileSync } from 'node:fs';

type LockPackage = {
  version?: string;
  optionalDependencies?: Record<string, string>;
  [key: string]: unknown;
};
type Lock = { packages: Record<string, LockPackage> };

const PLATFORMS: Record<string, { os: string; cpu: string; libc?: string }> = {
  'android-arm64': { os: 'android', cpu: 'arm64' },
  'android-x64': { os: 'android', cpu: 'x64' },
  'darwin-arm64': { os: 'darwin', cpu: 'arm64' },
  'darwin-x64': { os: 'darwin', cpu: 'x64' },
  'linux-arm64': { os: 'linux', cpu: 'arm64', libc: 'glibc' },
  'linux-arm64-musl': { os: 'linux', cpu: 'arm64', libc: 'musl' },
  'linux-x64': { os: 'linux', cpu: 'x64', libc: 'glibc' },
  'linux-x64-musl': { os: 'linux', cpu: 'x64', libc: 'musl' },
  'win32-arm64': { os: 'win32', cpu: 'arm64' },
  'win32-x64': { os: 'win32', cpu: 'x64' },
};

/** The optional Biome platform packages the lock file lacks. */
export const missingBiomeBinaries = (lock: Lock): string[] => {
  const biome = lock.packages['node_modules/@biomejs/biome'];
  return Object.keys(biome?.optionalDependencies ?? {}).filter(
    (name) => !lock.packages[`node_modules/${name}`],
  );
};

/** Adds the missing entries (optional, platform-restricted, so npm ci skips them on other platforms). */
export const addBiomeBinaries = (lock: Lock): Lock => {
  const biome = lock.packages['node_modules/@biomejs/biome'];
  const packages = { ...lock.packages };
  for (const name of missingBiomeBinaries(lock)) {
    const platform = PLATFORMS[name.replace('@biomejs/cli-', '')];
    if (!platform || !biome?.version) throw new Error(`No platform known for ${name}`);
    packages[`node_modules/${name}`] = {
      version: biome.version,
      cpu: [platform.cpu],
      dev: true,
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      license: 'MIT OR Apache-2.0',
      optional: true,
      os: [platform.os],
    };
  }
  const sorted = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  );
  return { ...lock, packages: sorted };
};

if (import.meta.main) {
  const path = new URL('../package-lock.json', import.meta.url);
  const lock = JSON.parse(readFileSync(path, 'utf-8')) as Lock;
  const missing = missingBiomeBinaries(lock);
  writeFileSync(path, `${JSON.stringify(addBiomeBinaries(lock), null, 2)}\n`);
  process.stdout.write(
    missing.length ? `Added ${missing.join(', ')}\n` : 'package-lock.json already complete\n',
  );
}
