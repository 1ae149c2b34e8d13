import { type AttributeValue, validateValue } from './attribute-value.ts';
import { validationError } from './errors.ts';

/**
 * A request's ExpressionAttributeNames and ExpressionAttributeValues, shared by all its expressions:
 * records which are used so that unused ones are refused, as DynamoDB refuses them.
 */
export class ExpressionAttributes {
  private readonly names: Readonly<Record<string, string>>;
  private readonly values: Readonly<Record<string, unknown>>;
  private readonly usedNames = new Set<string>();
  private readonly usedValues = new Set<string>();
  private readonly validated = new Map<string, AttributeValue>();

  constructor(names: unknown, values: unknown) {
    if (names !== undefined && (typeof names !== 'object' || names === null))
      throw validationError('ExpressionAttributeNames must be a map');
    if (values !== undefined && (typeof values !== 'object' || values === null))
      throw validationError('ExpressionAttributeValues must be a map');
    this.names = (names ?? {}) as Record<string, string>;
    this.values = (values ?? {}) as Record<string, unknown>;
    if (names !== undefined && Object.keys(this.names).length === 0)
      throw validationError('ExpressionAttributeNames must not be empty');
    if (values !== undefined && Object.keys(this.values).length === 0)
      throw validationError('ExpressionAttributeValues must not be empty');
  }

  /** Whether the request gave any names or values at all. */
  get given(): { names: boolean; values: boolean } {
    return { names: Object.keys(this.names).length > 0, values: Object.keys(this.values).length > 0 };
  }

  name(placeholder: string, expression: string): string {
    const name = this.names[placeholder];
    if (typeof name !== 'string')
      throw validationError(
        `Invalid ${expression}: An expression attribute name used in the document path is not defined; attribute name: ${placeholder}`,
      );
    this.usedNames.add(placeholder);
    return name;
  }

  value(placeholder: string, expression: string): AttributeValue {
    const cached = this.validated.get(placeholder);
    if (cached) return cached;
    const raw = this.values[placeholder];
    if (raw === undefined)
      throw validationError(
        `Invalid ${expression}: An expression attribute value used in expression is not defined; attribute value: ${placeholder}`,
      );
    this.usedValues.add(placeholder);
    const value = validateValue(raw);
    this.validated.set(placeholder, value);
    return value;
  }

  /** Refuses names or values no expression of the request used (call after parsing all of them). */
  checkAllUsed(): void {
    const unusedNames = Object.keys(this.names).filter((k) => !this.usedNames.has(k));
    if (unusedNames.length > 0)
      throw validationError(
        `Value provided in ExpressionAttributeNames unused in expressions: keys: {${unusedNames.join(', ')}}`,
      );
    const unusedValues = Object.keys(this.values).filter((k) => !this.usedValues.has(k));
    if (unusedValues.length > 0)
      throw validationError(
        `Value provided in ExpressionAttributeValues unused in expressions: keys: {${unusedValues.join(', ')}}`,
      );
  }
}
