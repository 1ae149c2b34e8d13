import { loadStageTemplate } from '../infra/local/iam/template-cache.ts';

/**
 * Synthesizes the dev template the local stack reads its IAM policies from once, before the test
 * files run in parallel, so they find it cached instead of each synthesizing it at the same time.
 */
export async function setup(): Promise<void> {
  await loadStageTemplate('dev');
}
