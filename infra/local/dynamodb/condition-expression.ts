import { ATTRIBUTE_TYPES, typeOf } from './attribute-value.ts';
import type { ExpressionAttributes } from './expression-attributes.ts';
import { ExpressionParser, type Operand, type PathOperand } from './expression-parser.ts';

export type Comparator = '=' | '<>' | '<' | '<=' | '>' | '>=';

/** A parsed ConditionExpression, FilterExpression or KeyConditionExpression. */
export type Condition =
  | { readonly kind: 'compare'; readonly op: Comparator; readonly left: Operand; readonly right: Operand }
  | { readonly kind: 'between'; readonly operand: Operand; readonly low: Operand; readonly high: Operand }
  | { readonly kind: 'in'; readonly operand: Operand; readonly list: readonly Operand[] }
  | { readonly kind: 'exists' | 'not_exists'; readonly path: PathOperand }
  | { readonly kind: 'attribute_type'; readonly path: PathOperand; readonly type: Operand }
  | { readonly kind: 'begins_with' | 'contains'; readonly path: Operand; readonly operand: Operand }
  | { readonly kind: 'and' | 'or'; readonly left: Condition; readonly right: Condition }
  | { readonly kind: 'not'; readonly operand: Condition };

const COMPARATORS: ReadonlySet<string> = new Set(['=', '<>', '<', '<=', '>', '>=']);
const MAX_IN = 100;
const ORDERED_TYPES: ReadonlySet<string> = new Set(['N', 'S', 'B']);

/** Parses DynamoDB's condition grammar: OR below AND below NOT below comparisons and functions. */
class ConditionParser extends ExpressionParser {
  parse(): Condition {
    const condition = this.or();
    this.expectEnd();
    return condition;
  }

  private or(): Condition {
    let left = this.and();
    while (this.isKeyword('OR')) {
      this.next();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): Condition {
    let left = this.not();
    while (this.isKeyword('AND')) {
      this.next();
      left = { kind: 'and', left, right: this.not() };
    }
    return left;
  }

  private not(): Condition {
    if (this.isKeyword('NOT')) {
      this.next();
      return { kind: 'not', operand: this.not() };
    }
    return this.primary();
  }

  /** Refuses a literal value of a type an ordering operator or function cannot take. */
  private checkOrdered(operand: Operand, op: string): void {
    if (operand.kind === 'value' && !ORDERED_TYPES.has(typeOf(operand.value)))
      throw this.fail(
        `Incorrect operand type for operator or function; operator or function: ${op}, operand type: ${typeOf(operand.value)}`,
      );
  }

  private requirePath(operand: Operand, fn: string): PathOperand {
    if (operand.kind !== 'path')
      throw this.fail(`Operator or function requires a document path; operator or function: ${fn}`);
    return operand;
  }

  private primary(): Condition {
    if (this.isOp('(')) {
      this.next();
      const inner = this.or();
      this.expectOp(')');
      return inner;
    }
    const token = this.peek();
    if (token.kind === 'name' && this.isOp('(', 1) && token.text !== 'size') return this.functionCall();
    const operand = this.operand();
    const op = this.peek();
    if (op.kind === 'op' && COMPARATORS.has(op.text)) {
      this.next();
      const right = this.operand();
      if (op.text !== '=' && op.text !== '<>') {
        this.checkOrdered(operand, op.text);
        this.checkOrdered(right, op.text);
      }
      return { kind: 'compare', op: op.text as Comparator, left: operand, right };
    }
    if (this.isKeyword('BETWEEN')) {
      this.next();
      const low = this.operand();
      if (!this.isKeyword('AND')) throw this.syntaxError();
      this.next();
      const high = this.operand();
      for (const o of [operand, low, high]) this.checkOrdered(o, 'BETWEEN');
      return { kind: 'between', operand, low, high };
    }
    if (this.isKeyword('IN')) {
      this.next();
      this.expectOp('(');
      const list: Operand[] = [this.operand()];
      while (this.isOp(',')) {
        this.next();
        list.push(this.operand());
      }
      this.expectOp(')');
      if (list.length > MAX_IN)
        throw this.fail(
          `The IN operator is provided with too many operands; number of operands: ${list.length}`,
        );
      return { kind: 'in', operand, list };
    }
    throw this.syntaxError();
  }

  private functionCall(): Condition {
    const name = this.next().text;
    this.expectOp('(');
    const args: Operand[] = [];
    if (!this.isOp(')')) {
      args.push(this.operand());
      while (this.isOp(',')) {
        this.next();
        args.push(this.operand());
      }
    }
    this.expectOp(')');
    const arity = (n: number): void => {
      if (args.length !== n)
        throw this.fail(
          `Incorrect number of operands for operator or function; operator or function: ${name}, number of operands: ${args.length}`,
        );
    };
    switch (name) {
      case 'attribute_exists':
      case 'attribute_not_exists': {
        arity(1);
        const path = this.requirePath(args[0] as Operand, name);
        return { kind: name === 'attribute_exists' ? 'exists' : 'not_exists', path };
      }
      case 'attribute_type': {
        arity(2);
        const path = this.requirePath(args[0] as Operand, name);
        const type = args[1] as Operand;
        if (type.kind === 'value') {
          const t = typeOf(type.value);
          const payload = (type.value as { S?: string }).S;
          if (t !== 'S')
            throw this.fail(
              `Incorrect operand type for operator or function; operator or function: attribute_type, operand type: ${t}`,
            );
          if (!ATTRIBUTE_TYPES.has(payload as string))
            throw this.fail(
              `Invalid attribute type name found; type: ${payload}, valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}`,
            );
        }
        return { kind: 'attribute_type', path, type };
      }
      case 'begins_with':
      case 'contains': {
        arity(2);
        if (name === 'begins_with') for (const a of args) this.checkBeginsWith(a);
        return { kind: name, path: args[0] as Operand, operand: args[1] as Operand };
      }
      case 'size':
      case 'if_not_exists':
      case 'list_append':
        throw this.fail(
          `The function is not allowed to be used this way in an expression; function: ${name}`,
        );
      default:
        throw this.fail(`Invalid function name; function: ${name}`);
    }
  }

  private checkBeginsWith(operand: Operand): void {
    if (operand.kind === 'value') {
      const t = typeOf(operand.value);
      if (t !== 'S' && t !== 'B')
        throw this.fail(
          `Incorrect operand type for operator or function; operator or function: begins_with, operand type: ${t}`,
        );
    }
  }
}

/** Parses a condition-grammar expression (`expression` names the parameter in messages). */
export const parseCondition = (
  text: string,
  expression: 'ConditionExpression' | 'FilterExpression' | 'KeyConditionExpression',
  attributes: ExpressionAttributes,
): Condition => new ConditionParser(text, expression, attributes).parse();

/** Every document path a condition reads (to refuse key attributes in a Query's filter). */
export const conditionPaths = (condition: Condition): PathOperand[] => {
  const ofOperand = (o: Operand): PathOperand[] =>
    o.kind === 'path' ? [o] : o.kind === 'size' ? [o.path] : [];
  switch (condition.kind) {
    case 'compare':
      return [...ofOperand(condition.left), ...ofOperand(condition.right)];
    case 'between':
      return [condition.operand, condition.low, condition.high].flatMap(ofOperand);
    case 'in':
      return [condition.operand, ...condition.list].flatMap(ofOperand);
    case 'exists':
    case 'not_exists':
      return [condition.path];
    case 'attribute_type':
      return [condition.path, ...ofOperand(condition.type)];
    case 'begins_with':
    case 'contains':
      return [...ofOperand(condition.path), ...ofOperand(condition.operand)];
    case 'and':
    case 'or':
      return [...conditionPaths(condition.left), ...conditionPaths(condition.right)];
    case 'not':
      return conditionPaths(condition.operand);
  }
};
