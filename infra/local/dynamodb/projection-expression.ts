import type { ExpressionAttributes } from './expression-attributes.ts';
import { ExpressionParser, type PathElement, pathText } from './expression-parser.ts';

class ProjectionParser extends ExpressionParser {
  parse(): (readonly PathElement[])[] {
    const paths: PathElement[][] = [[...this.path().elements]];
    while (this.isOp(',')) {
      this.next();
      paths.push([...this.path().elements]);
    }
    this.expectEnd();
    for (let i = 0; i < paths.length; i++)
      for (let j = i + 1; j < paths.length; j++) {
        const a = paths[i] as PathElement[];
        const b = paths[j] as PathElement[];
        const n = Math.min(a.length, b.length);
        if (a.slice(0, n).every((e, k) => e === b[k]))
          throw this.fail(
            `Two document paths overlap with each other; must remove or rewrite one of these paths; path one: ${pathText({ kind: 'path', elements: a })}, path two: ${pathText({ kind: 'path', elements: b })}`,
          );
      }
    return paths;
  }
}

/** Parses a ProjectionExpression into the document paths it names. */
export const parseProjection = (text: string, attributes: ExpressionAttributes): (readonly PathElement[])[] =>
  new ProjectionParser(text, 'ProjectionExpression', attributes).parse();
