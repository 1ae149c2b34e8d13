import { describe, expect, it } from 'vitest';
import { STAGES } from '../../../infra/config.ts';
import { createLambdaContext } from '../../../infra/local/lambda-context.ts';
import { applyEnvironment } from '../../../infra/local/lambda-env.ts';

const FN = {
  name: 'msht-dev-indexer',
  region: 'eu-west-2',
  accountId: '000000000000',
  settings: STAGES.dev.functions.indexer,
};

describe('createLambdaContext', () => {
  it('describes the function and counts the remaining time down from its timeout', () => {
    // Prepare
    let now = 1_800_000_000_000;
    const context = createLambdaContext(FN, () => now);

    // Act
    const atStart = context.getRemainingTimeInMillis();
    now += 45_000;
    const later = context.getRemainingTimeInMillis();
    now += 60_000;
    const afterTimeout = context.getRemainingTimeInMillis();

    // Assess
    expect(context).toMatchObject({
      functionName: 'msht-dev-indexer',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:eu-west-2:000000000000:function:msht-dev-indexer',
      memoryLimitInMB: '512',
      logGroupName: '/aws/lambda/msht-dev-indexer',
    });
    expect(context.logStreamName).toMatch(/^2027\/01\/15\/\[\$LATEST\][0-9a-f]{32}$/);
    expect([atStart, later, afterTimeout]).toEqual([60_000, 15_000, 0]);
  });

  it('gives every invocation its own request id', () => {
    // Act
    const ids = new Set(Array.from({ length: 20 }, () => createLambdaContext(FN).awsRequestId));

    // Assess
    expect(ids.size).toBe(20);
  });
});

describe('applyEnvironment', () => {
  it('sets the variables and puts back what was there before', () => {
    // Prepare
    process.env.MSHT_TEST_KEPT = 'before';
    delete process.env.MSHT_TEST_NEW;
    process.env.AWS_SESSION_TOKEN = 'real-token';

    // Act
    const restore = applyEnvironment({ MSHT_TEST_KEPT: 'during', MSHT_TEST_NEW: 'during' });
    const during = [process.env.MSHT_TEST_KEPT, process.env.MSHT_TEST_NEW, process.env.AWS_SESSION_TOKEN];
    restore();

    // Assess
    expect(during).toEqual(['during', 'during', undefined]);
    expect([process.env.MSHT_TEST_KEPT, process.env.MSHT_TEST_NEW, process.env.AWS_SESSION_TOKEN]).toEqual([
      'before',
      undefined,
      'real-token',
    ]);
    delete process.env.MSHT_TEST_KEPT;
    delete process.env.AWS_SESSION_TOKEN;
  });
});
