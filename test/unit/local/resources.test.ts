import { describe, expect, it } from 'vitest';
import { DEFAULT_LOCAL_PORTS, portOption, resolvePorts } from '../../../cli/commands/local.ts';
import { STAGES } from '../../../infra/config.ts';
import { createTableInput, queueVisibilityTimeout } from '../../../infra/local/resources.ts';

describe('createTableInput', () => {
  it('creates the uploads table with its key and GSIs, on demand, string keys', () => {
    // Act
    const input = createTableInput(STAGES.dev.tables.uploads);

    // Assess
    expect(input).toEqual({
      TableName: 'msht-dev-uploads',
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'uploadId', AttributeType: 'S' },
        { AttributeName: 'org', AttributeType: 'S' },
        { AttributeName: 'receivedAt', AttributeType: 'S' },
        { AttributeName: 'sha256', AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: 'uploadId', KeyType: 'HASH' }],
      GlobalSecondaryIndexes: [
        {
          IndexName: 'byOrg',
          KeySchema: [
            { AttributeName: 'org', KeyType: 'HASH' },
            { AttributeName: 'receivedAt', KeyType: 'RANGE' },
          ],
          Projection: { ProjectionType: 'ALL' },
        },
        {
          IndexName: 'bySha256',
          KeySchema: [{ AttributeName: 'sha256', KeyType: 'HASH' }],
          Projection: { ProjectionType: 'ALL' },
        },
      ],
    });
  });

  it('defines each attribute once, and leaves out GSIs when a table has none', () => {
    // Act
    const input = createTableInput({ name: 't', partitionKey: 'pk', sortKey: 'sk', indexes: [] });

    // Assess
    expect(input.AttributeDefinitions?.map((a) => a.AttributeName)).toEqual(['pk', 'sk']);
    expect(input).not.toHaveProperty('GlobalSecondaryIndexes');
  });
});

describe('queueVisibilityTimeout', () => {
  it('is six times the function timeout, rounded up to whole seconds', () => {
    // Act
    const timeouts = [
      queueVisibilityTimeout(STAGES.dev.functions.ingest),
      queueVisibilityTimeout({ ...STAGES.dev.functions.indexer, timeoutSeconds: 1 / 6 }),
      queueVisibilityTimeout({ ...STAGES.dev.functions.indexer, timeoutSeconds: 0.25 }),
    ];

    // Assess
    expect(timeouts).toEqual([3600, 1, 2]);
  });
});

describe('msht local ports', () => {
  it('uses the defaults, a base, or a port per service, the most specific winning', () => {
    // Act
    const ports = [
      resolvePorts({}),
      resolvePorts({ portBase: 5000 }),
      resolvePorts({ portBase: 5000, portSqs: 9324 }),
    ];

    // Assess
    expect(ports).toEqual([
      DEFAULT_LOCAL_PORTS,
      { dynamodb: 5000, s3: 5001, sqs: 5002, sts: 5003, lambda: 5004, secretsmanager: 5005 },
      { dynamodb: 5000, s3: 5001, sqs: 9324, sts: 5003, lambda: 5004, secretsmanager: 5005 },
    ]);
    expect(DEFAULT_LOCAL_PORTS.secretsmanager).toBe(4572);
  });

  it('rejects ports out of range', () => {
    // Act
    const attempts = [
      () => portOption('0'),
      () => portOption('70000'),
      () => portOption('4x'),
      () => resolvePorts({ portBase: 65_535 }),
    ];

    // Assess
    for (const attempt of attempts) expect(attempt).toThrow();
    expect(portOption('4568')).toBe(4568);
  });
});
