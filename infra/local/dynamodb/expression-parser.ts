import type { AttributeValue } from './attribute-value.ts';
import { validationError } from './errors.ts';
import type { ExpressionAttributes } from './expression-attributes.ts';
import { isReservedWord } from './reserved-words.ts';

/** A token of DynamoDB's expression language. */
export type Token = {
  readonly kind: 'name' | 'placeholder' | 'value' | 'number' | 'op' | 'end';
  readonly text: string;
  readonly at: number;
};

const TOKEN =
  /\s*(?:(#[A-Za-z0-9_]+)|(:[A-Za-z0-9_]+)|([A-Za-z_][A-Za-z0-9_]*)|(\d+)|(<=|>=|<>|[=<>()[\].,+-]))/y;

/** Splits an expression into tokens; anything else is a syntax error, quoted as DynamoDB quotes one. */
export const tokenize = (text: string, expression: string): Token[] => {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(text);
    if (!m) {
      const rest = text.slice(at).trimStart();
      throw validationError(
        `Invalid ${expression}: Syntax error; token: "${rest[0] ?? ''}", near: "${rest.slice(0, 10)}"`,
      );
    }
    const start = at + (m[0].length - m[0].trimStart().length);
    if (m[1]) tokens.push({ kind: 'placeholder', text: m[1], at: start });
    else if (m[2]) tokens.push({ kind: 'value', text: m[2], at: start });
    else if (m[3]) tokens.push({ kind: 'name', text: m[3], at: start });
    else if (m[4]) tokens.push({ kind: 'number', text: m[4], at: start });
    else tokens.push({ kind: 'op', text: m[5] as string, at: start });
    at = TOKEN.lastIndex;
  }
  tokens.push({ kind: 'end', text: '<EOF>', at: text.length });
  return tokens;
};

/** One step of a document path: an attribute (or map key) name, or a list index. */
export type PathElement = string | number;

export type PathOperand = { readonly kind: 'path'; readonly elements: readonly PathElement[] };
export type ValueOperand = {
  readonly kind: 'value';
  readonly value: AttributeValue;
  readonly placeholder: string;
};
export type SizeOperand = { readonly kind: 'size'; readonly path: PathOperand };
/** A value in a condition: a document path, an expression attribute value, or `size(path)`. */
export type Operand = PathOperand | ValueOperand | SizeOperand;

/** A path as DynamoDB quotes one in messages: `[a, b, [0]]`. */
export const pathText = (path: PathOperand): string =>
  `[${path.elements.map((e) => (typeof e === 'number' ? `[${e}]` : e)).join(', ')}]`;

const MAX_DEPTH = 32;

/** The parser every expression kind builds on: tokens, document paths and operands. */
export class ExpressionParser {
  protected readonly tokens: Token[];
  protected pos = 0;
  protected readonly text: string;
  /** The request parameter's name, as messages quote it: `ConditionExpression`, `UpdateExpression`... */
  protected readonly expression: string;
  protected readonly attributes: ExpressionAttributes;

  constructor(text: string, expression: string, attributes: ExpressionAttributes) {
    this.text = text;
    this.expression = expression;
    this.attributes = attributes;
    if (text.trim() === '') throw validationError(`Invalid ${expression}: The expression can not be empty;`);
    this.tokens = tokenize(text, expression);
  }

  protected peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)] as Token;
  }

  protected next(): Token {
    const token = this.peek();
    if (this.pos < this.tokens.length - 1) this.pos++;
    return token;
  }

  protected isKeyword(word: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'name' && token.text.toUpperCase() === word;
  }

  protected isOp(op: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token.kind === 'op' && token.text === op;
  }

  protected syntaxError(token: Token = this.peek()): Error {
    return validationError(
      `Invalid ${this.expression}: Syntax error; token: "${token.text}", near: "${this.text
        .slice(Math.max(0, token.at - 5), token.at + 10)
        .trim()}"`,
    );
  }

  protected expectOp(op: string): void {
    if (!this.isOp(op)) throw this.syntaxError();
    this.next();
  }

  protected expectEnd(): void {
    if (this.peek().kind !== 'end') throw this.syntaxError();
  }

  protected fail(message: string): Error {
    return validationError(`Invalid ${this.expression}: ${message}`);
  }

  /** A name token or placeholder as an attribute name (a bare reserved word is refused). */
  protected attributeName(): string {
    const token = this.next();
    if (token.kind === 'placeholder') return this.attributes.name(token.text, this.expression);
    if (token.kind === 'name') {
      if (isReservedWord(token.text))
        throw this.fail(`Attribute name is a reserved keyword; reserved keyword: ${token.text}`);
      return token.text;
    }
    throw this.syntaxError(token);
  }

  protected isPathStart(): boolean {
    const token = this.peek();
    return token.kind === 'placeholder' || (token.kind === 'name' && !this.isOp('(', 1));
  }

  /** `name(.name | [index])*` */
  protected path(): PathOperand {
    const elements: PathElement[] = [this.attributeName()];
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        elements.push(this.attributeName());
      } else if (this.isOp('[')) {
        this.next();
        const index = this.next();
        if (index.kind !== 'number') throw this.syntaxError(index);
        elements.push(Number(index.text));
        this.expectOp(']');
      } else break;
    }
    if (elements.length > MAX_DEPTH)
      throw this.fail(`The document path has too many nesting levels; nesting levels: ${elements.length}`);
    return { kind: 'path', elements };
  }

  protected valueOperand(): ValueOperand {
    const token = this.next();
    if (token.kind !== 'value') throw this.syntaxError(token);
    return {
      kind: 'value',
      value: this.attributes.value(token.text, this.expression),
      placeholder: token.text,
    };
  }

  /** A path, a value, or `size(path)`; other functions are refused here. */
  protected operand(): Operand {
    const token = this.peek();
    if (token.kind === 'value') return this.valueOperand();
    if (token.kind === 'name' && this.isOp('(', 1)) {
      const fn = token.text;
      if (fn !== 'size') {
        if (KNOWN_FUNCTIONS.has(fn))
          throw this.fail(
            `The function is not allowed to be used this way in an expression; function: ${fn}`,
          );
        throw this.fail(`Invalid function name; function: ${fn}`);
      }
      this.next();
      this.next();
      if (!this.isPathStart())
        throw this.fail('Operator or function requires a document path; operator or function: size');
      const path = this.path();
      this.expectOp(')');
      return { kind: 'size', path };
    }
    if (this.isPathStart()) return this.path();
    throw this.syntaxError();
  }
}

export const KNOWN_FUNCTIONS: ReadonlySet<string> = new Set([
  'attribute_exists',
  'attribute_not_exists',
  'attribute_type',
  'begins_with',
  'contains',
  'size',
  'if_not_exists',
  'list_append',
]);
