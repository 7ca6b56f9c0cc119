// GitHub Actions expressions evaluated with GitHub's own engine (@actions/expressions), for tests
// that check what a workflow's `if:`, `with:` and `env:` come to.

import { data, Evaluator, Lexer, Parser } from '@actions/expressions'

/** Evaluates one expression (with or without its `${{ }}`) the way the runner does. */
export function evaluate(expression: string, context: Record<string, unknown>): unknown {
  const source = expression.trim().replace(/^\$\{\{([\s\S]*)\}\}$/, '$1')
  const tree = new Parser(new Lexer(source).lex().tokens, Object.keys(context), []).parse()
  const result = new Evaluator(tree, JSON.parse(JSON.stringify(context), data.reviver) as data.Dictionary).evaluate()
  return JSON.parse(JSON.stringify(result, data.replacer)) as unknown
}

/** A string with `${{ }}` in it, as the runner expands it (an expression's value as a string). */
export function expand(template: string, context: Record<string, unknown>): string {
  return template.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => {
    const v = evaluate(e, context)
    return typeof v === 'string' ? v : JSON.stringify(v)
  })
}
