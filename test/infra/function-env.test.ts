import { describe, expect, it } from 'vitest';
import { ENV, type EnvName } from '../../functions/shared/env-names.ts';
import { settingsFor, visibilityTimeoutSeconds } from '../../infra/config.ts';
import { functionEnvironment, type ResourceRefs } from '../../infra/function-env.ts';
import { FUNCTIONS, HANDLER_NAMES } from '../../infra/function-registry.ts';

// The env builder on its own: no CDK, plain names as the local stack passes them.

const refs: ResourceRefs = {
  bucket: 'data-bucket',
  landingBucket: 'landing-bucket',
  recordsQueueUrl: 'http://127.0.0.1:1/000000000000/records',
  feedQueueUrl: 'http://127.0.0.1:1/000000000000/feed',
  pushQueues: [{ name: 'case-system', url: 'http://127.0.0.1:1/000000000000/feed-case-system' }],
  uploadsTable: 'uploads-table',
  markersTable: 'markers-table',
  feedTable: 'feed-table',
  uploadFormSignerRoleArn: 'arn:aws:iam::000000000000:role/msht-dev-upload-form-signer',
  pseudonymKeySecret: 'arn:aws:secretsmanager:eu-west-2:000000000000:secret:msht-dev-pseudonym-key-AbCdEf',
};

describe.each(['dev', 'prod'] as const)('%s: functionEnvironment', (stage) => {
  const settings = settingsFor(stage);
  /** What each variable must be, written out from the settings (not from the builder's table). */
  const expected: Partial<Record<EnvName, unknown>> = {
    [ENV.bucket]: refs.bucket,
    [ENV.landingBucket]: refs.landingBucket,
    [ENV.recordsQueueUrl]: refs.recordsQueueUrl,
    [ENV.feedQueueUrl]: refs.feedQueueUrl,
    [ENV.feedPushQueues]: refs.pushQueues,
    [ENV.uploadsTable]: refs.uploadsTable,
    [ENV.markersTable]: refs.markersTable,
    [ENV.feedTable]: refs.feedTable,
    [ENV.uploadFormSignerRoleArn]: refs.uploadFormSignerRoleArn,
    [ENV.stage]: stage,
    [ENV.retentionRules]: settings.retention,
    [ENV.pndSettings]: settings.pnd,
    [ENV.feedSettings]: settings.feed,
    [ENV.aggregateSubmissionDays]: settings.aggregation.submissionDays,
    [ENV.disclosurePolicy]: settings.disclosure,
    [ENV.aggregatePublication]: settings.aggregation.publication,
    [ENV.aggregateSchedule]: settings.aggregation.schedule,
    [ENV.ingestMaxFileBytes]: settings.ingestLimits.maxFileBytes,
    [ENV.ingestMaxDecompressedBytes]: settings.ingestLimits.maxDecompressedBytes,
    [ENV.ingestMaxRows]: settings.ingestLimits.maxRows,
    [ENV.ingestMaxRejectedShare]: settings.ingestLimits.maxRejectedShare,
    [ENV.prefix]: settings.prefix,
    [ENV.organisations]: settings.organisations.map((o) => o.code),
    // Ingest's visibility timeout for each of its receives.
    [ENV.stuckAfterSeconds]:
      visibilityTimeoutSeconds(settings.functions.ingest) * settings.functions.ingest.maxReceiveCount,
    [ENV.pseudonymKeySecret]: refs.pseudonymKeySecret,
    [ENV.pseudonymKeyVersion]: settings.pseudonyms.keyVersion,
    [ENV.logLevel]: 'INFO',
  };
  const JSON_VALUED: readonly EnvName[] = [
    ENV.feedPushQueues,
    ENV.retentionRules,
    ENV.pndSettings,
    ENV.feedSettings,
    ENV.organisations,
    ENV.disclosurePolicy,
    ENV.aggregatePublication,
  ];
  const NUMBER_VALUED: readonly EnvName[] = [
    ENV.aggregateSubmissionDays,
    ENV.ingestMaxFileBytes,
    ENV.ingestMaxDecompressedBytes,
    ENV.ingestMaxRows,
    ENV.ingestMaxRejectedShare,
    ENV.stuckAfterSeconds,
    ENV.pseudonymKeyVersion,
  ];
  const parsed = (name: EnvName, value: string): unknown =>
    JSON_VALUED.includes(name) ? JSON.parse(value) : NUMBER_VALUED.includes(name) ? Number(value) : value;

  it.each(HANDLER_NAMES)('%s: exactly its contract and the two Powertools variables', (name) => {
    // Act
    const env = functionEnvironment(name, settings, refs);

    // Assess
    expect(Object.keys(env).sort()).toEqual(
      [...new Set([...FUNCTIONS[name].env, ENV.logLevel, ENV.serviceName])].sort(),
    );
    expect(Object.keys(env)).toHaveLength(FUNCTIONS[name].env.length + 2);
  });

  it.each(HANDLER_NAMES)('%s: every value a string, equal to what the settings say', (name) => {
    // Act
    const env = functionEnvironment(name, settings, refs);

    // Assess
    for (const [variable, value] of Object.entries(env) as [EnvName, unknown][]) {
      expect([name, variable, typeof value]).toEqual([name, variable, 'string']);
      if (variable === ENV.serviceName) expect(value).toBe(FUNCTIONS[name].service);
      else
        expect([name, variable, parsed(variable, value as string)]).toEqual([
          name,
          variable,
          expected[variable],
        ]);
    }
  });

  it('the upload API and the stuck-uploads check get the new contract variables', () => {
    expect(Object.keys(functionEnvironment('uploadApi', settings, refs))).toEqual(
      expect.arrayContaining([ENV.prefix, ENV.organisations, ENV.landingBucket, ENV.ingestMaxFileBytes]),
    );
    expect(functionEnvironment('stuckUploads', settings, refs)[ENV.stuckAfterSeconds]).toBe(
      String(expected[ENV.stuckAfterSeconds]),
    );
    expect(functionEnvironment('stuckUploads', settings, refs)[ENV.serviceName]).toBe('msht-stuck-uploads');
  });
});
