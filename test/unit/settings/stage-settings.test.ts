import { describe, expect, it } from 'vitest';
import { loadIngestLimits } from '../../../functions/ingest/limits.ts';
import { ENV } from '../../../functions/shared/env-names.ts';
import { loadMarkerConfig } from '../../../functions/shared/marker-config.ts';
import { STAGES } from '../../../infra/config.ts';
import { parseStageSettings, StageSettingsSchema } from '../../../schemas/settings/stage-settings.ts';

describe('stage settings', () => {
  it.each(['dev', 'prod'] as const)('%s parses as it is written: the schema takes nothing away', (stage) => {
    expect(StageSettingsSchema.parse(STAGES[stage])).toEqual(STAGES[stage]);
  });

  it('names every invalid setting by its path', () => {
    const bad = {
      ...STAGES.dev,
      functions: { ...STAGES.dev.functions, indexer: { ...STAGES.dev.functions.indexer, memoryMb: 64 } },
      pnd: { ...STAGES.dev.pnd, batchPrefix: 'pnd/outbound' },
    };
    expect(() => parseStageSettings(bad)).toThrow(
      /functions\.indexer\.memoryMb: .*; pnd\.batchPrefix: must end with \//,
    );
  });

  it('refuses an organisation listed twice, and main-queue retention not under the DLQ’s', () => {
    const twice = {
      ...STAGES.dev,
      organisations: [STAGES.dev.organisations[0], STAGES.dev.organisations[0]],
    };
    expect(() => parseStageSettings(twice)).toThrow(/Organisations listed twice: PF-/);
    expect(() => parseStageSettings({ ...STAGES.dev, queueRetentionDays: 14, dlqRetentionDays: 14 })).toThrow(
      /queueRetentionDays \(14\) must be under dlqRetentionDays \(14\)/,
    );
  });

  it('refuses a push consumer listed twice, or named so it cannot be a queue or role name', () => {
    const consumer = (name: string) => ({ name, principals: [] });
    expect(
      parseStageSettings({ ...STAGES.dev, pushConsumers: [consumer('case-system'), consumer('analytics')] })
        .pushConsumers,
    ).toHaveLength(2);
    expect(() =>
      parseStageSettings({ ...STAGES.dev, pushConsumers: [consumer('analytics'), consumer('analytics')] }),
    ).toThrow(/Push consumers listed twice: analytics/);
    for (const bad of ['Case System', 'case_system', '1case', 'x'.repeat(31)])
      expect(() => parseStageSettings({ ...STAGES.dev, pushConsumers: [consumer(bad)] })).toThrow(
        /pushConsumers\.0\.name/,
      );
  });

  it('refuses a malformed account id of a trusted principal', () => {
    const org = { code: 'PF-BTP' as const, principals: [{ kind: 'account' as const, accountId: '12345' }] };
    expect(() => parseStageSettings({ ...STAGES.dev, organisations: [org] })).toThrow(
      /not an AWS account id/,
    );
  });
});

describe('the functions read their settings with the stage settings’ own rules', () => {
  it('an ingest limit the settings schema refuses is refused in the environment too', () => {
    expect(() => loadIngestLimits({ [ENV.ingestMaxRejectedShare]: '1.5' })).toThrow(
      /MSHT_INGEST_MAX_REJECTED_SHARE/,
    );
    expect(loadIngestLimits({ [ENV.ingestMaxRows]: String(STAGES.prod.ingestLimits.maxRows) })).toEqual(
      STAGES.prod.ingestLimits,
    );
  });

  it('PND settings from the environment are checked by the stage settings’ PND schema', () => {
    const env = {
      [ENV.markersTable]: 'msht-dev-markers',
      [ENV.feedTable]: 'msht-dev-feed',
      [ENV.retentionRules]: JSON.stringify(STAGES.dev.retention),
      [ENV.feedSettings]: JSON.stringify(STAGES.dev.feed),
    };
    expect(loadMarkerConfig({ ...env, [ENV.pndSettings]: JSON.stringify(STAGES.dev.pnd) }).pnd).toEqual(
      STAGES.dev.pnd,
    );
    expect(() =>
      loadMarkerConfig({
        ...env,
        [ENV.pndSettings]: JSON.stringify({ ...STAGES.dev.pnd, batchPrefix: 'x' }),
      }),
    ).toThrow(/MSHT_PND_SETTINGS/);
  });
});
