import { typeOf } from './attribute-value.ts';
import type { ExpressionAttributes } from './expression-attributes.ts';
import {
  ExpressionParser,
  type Operand,
  type PathOperand,
  pathText,
  type ValueOperand,
} from './expression-parser.ts';

/** The right-hand side of a SET action. */
export type SetValue =
  | Operand
  | { readonly kind: 'if_not_exists'; readonly path: PathOperand; readonly fallback: SetValue }
  | { readonly kind: 'list_append'; readonly first: SetValue; readonly second: SetValue }
  | {
      readonly kind: 'arithmetic';
      readonly op: '+' | '-';
      readonly left: SetValue;
      readonly right: SetValue;
    };

export type UpdateAction =
  | { readonly kind: 'SET'; readonly path: PathOperand; readonly value: SetValue }
  | { readonly kind: 'REMOVE'; readonly path: PathOperand }
  | { readonly kind: 'ADD' | 'DELETE'; readonly path: PathOperand; readonly value: ValueOperand };

/** A parsed UpdateExpression: its actions in the order they are applied (all SET, then...). */
export type UpdateExpression = { readonly actions: readonly UpdateAction[] };

const CLAUSES = ['SET', 'REMOVE', 'ADD', 'DELETE'] as const;
type Clause = (typeof CLAUSES)[number];

class UpdateParser extends ExpressionParser {
  parse(): UpdateExpression {
    const seen = new Set<Clause>();
    const actions: UpdateAction[] = [];
    while (this.peek().kind !== 'end') {
      const token = this.next();
      const clause = token.text.toUpperCase() as Clause;
      if (token.kind !== 'name' || !CLAUSES.includes(clause)) throw this.syntaxError(token);
      if (seen.has(clause))
        throw this.fail(`The "${clause}" section can only be used once in an update expression;`);
      seen.add(clause);
      actions.push(this.action(clause));
      while (this.isOp(',')) {
        this.next();
        actions.push(this.action(clause));
      }
    }
    this.checkOverlaps(actions);
    return { actions };
  }

  private action(clause: Clause): UpdateAction {
    const path = this.path();
    switch (clause) {
      case 'SET':
        this.expectOp('=');
        return { kind: 'SET', path, value: this.setValue() };
      case 'REMOVE':
        return { kind: 'REMOVE', path };
      case 'ADD':
      case 'DELETE': {
        const value = this.valueOperand();
        const type = typeOf(value.value);
        const allowed = clause === 'ADD' ? ['N', 'SS', 'NS', 'BS'] : ['SS', 'NS', 'BS'];
        if (!allowed.includes(type))
          throw this.fail(
            `Incorrect operand type for operator or function; operator: ${clause}, operand type: ${type === 'L' ? 'LIST' : type === 'M' ? 'MAP' : type}`,
          );
        return { kind: clause, path, value };
      }
    }
  }

  private setValue(): SetValue {
    const left = this.setTerm();
    if (this.isOp('+') || this.isOp('-')) {
      const op = this.next().text as '+' | '-';
      const right = this.setTerm();
      return { kind: 'arithmetic', op, left, right };
    }
    return left;
  }

  private setTerm(): SetValue {
    const token = this.peek();
    if (token.kind === 'name' && this.isOp('(', 1)) {
      if (token.text === 'if_not_exists') {
        this.next();
        this.next();
        if (!this.isPathStart())
          throw this.fail(
            'Operator or function requires a document path; operator or function: if_not_exists',
          );
        const path = this.path();
        this.expectOp(',');
        const fallback = this.setValue();
        this.expectOp(')');
        return { kind: 'if_not_exists', path, fallback };
      }
      if (token.text === 'list_append') {
        this.next();
        this.next();
        const first = this.setValue();
        this.expectOp(',');
        const second = this.setValue();
        this.expectOp(')');
        return { kind: 'list_append', first, second };
      }
    }
    const operand = this.operand();
    if (operand.kind === 'size')
      throw this.fail('The function is not allowed in an update expression; function: size');
    return operand;
  }

  /** Two actions on one path, or on a path and a path inside it, are refused. */
  private checkOverlaps(actions: readonly UpdateAction[]): void {
    for (let i = 0; i < actions.length; i++) {
      for (let j = i + 1; j < actions.length; j++) {
        const a = (actions[i] as UpdateAction).path.elements;
        const b = (actions[j] as UpdateAction).path.elements;
        const n = Math.min(a.length, b.length);
        if (a.slice(0, n).every((e, k) => e === b[k])) {
          const [p1, p2] = [(actions[i] as UpdateAction).path, (actions[j] as UpdateAction).path];
          throw this.fail(
            a.length === b.length
              ? `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(p1)}, path two: ${pathText(p2)}`
              : `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText(p1)}, path two: ${pathText(p2)}`,
          );
        }
      }
    }
  }
}

/** Parses an UpdateExpression. */
export const parseUpdate = (text: string, attributes: ExpressionAttributes): UpdateExpression =>
  new UpdateParser(text, 'UpdateExpression', attributes).parse();
