import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { type IKey, Key } from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import type { TableSettings } from '../config.ts';
import { keyPolicy } from './key-policy.ts';

/** Properties of a `PipelineTable`. */
export type PipelineTableProps = {
  /** Name, keys and global secondary indexes, from `settings.tables`. */
  readonly settings: TableSettings;
  /**
   * Whether DynamoDB refuses to delete the table.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * What happens to the table and the key when the stack deletes them.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * The customer-managed key that encrypts the table.
   * @default a new key with rotation on, owned by this construct
   */
  readonly encryptionKey?: IKey;
};

/**
 * A DynamoDB table from `TableSettings`: on-demand, string keys, GSIs projecting all attributes (as the
 * local stack creates them), encrypted with a customer-managed key, with point-in-time recovery.
 */
export class PipelineTable extends Construct {
  /** The table. */
  public readonly table: Table;
  /** The key that encrypts the table; readers need kms:Decrypt, writers also kms:Encrypt/GenerateDataKey. */
  public readonly key: IKey;
  /** The ARN of each global secondary index by name, for IAM statements that name indexes one by one. */
  public readonly indexArns: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: PipelineTableProps) {
    super(scope, id);
    const { settings } = props;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.key =
      props.encryptionKey ??
      new Key(this, 'Key', {
        description: `Encrypts DynamoDB table ${settings.name}`,
        enableKeyRotation: true,
        policy: keyPolicy('dynamodb'),
        removalPolicy,
      });
    const stringKey = (name: string) => ({ name, type: AttributeType.STRING });
    this.table = new Table(this, 'Table', {
      tableName: settings.name,
      partitionKey: stringKey(settings.partitionKey),
      ...(settings.sortKey ? { sortKey: stringKey(settings.sortKey) } : {}),
      billingMode: BillingMode.PAY_PER_REQUEST,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? true,
      removalPolicy,
    });
    const indexArns: Record<string, string> = {};
    for (const index of settings.indexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.name,
        partitionKey: stringKey(index.partitionKey),
        ...(index.sortKey ? { sortKey: stringKey(index.sortKey) } : {}),
        projectionType: ProjectionType.ALL,
      });
      indexArns[index.name] = `${this.table.tableArn}/index/${index.name}`;
    }
    this.indexArns = indexArns;
  }

  /**
   * The ARN of one global secondary index, for a statement that may use that index only. Throws when the
   * settings define no index of that name, so a grant cannot silently name an index that does not exist.
   */
  public indexArn(name: string): string {
    const arn = this.indexArns[name];
    if (arn === undefined) {
      throw new Error(
        `Table ${this.table.node.path} has no index ${name}: it has ${Object.keys(this.indexArns).join(', ') || 'none'}`,
      );
    }
    return arn;
  }
}
