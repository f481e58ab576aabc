import * as v from 'valibot';
import { Lexer, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from 'yaml';
import { Limits } from './limits.js';

/** A parse result is data: either the typed value or readable issues, never an exception. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; issues: [string, ...string[]] };

const fail = (...issues: [string, ...string[]]): { ok: false; issues: [string, ...string[]] } => ({ ok: false, issues });

/**
 * Deepest nesting of `[`/`{` in JSON text, scanning once and skipping strings.
 * Runs before JSON.parse so a hostile document cannot exhaust the stack. An envelope is mostly string
 * content, so a string is skipped by searching for its closing quote and for backslashes with
 * `indexOf` (the next of each is remembered, so every character is searched over once): on a 12 MB
 * envelope that takes 2–4 ms, against 26 ms looking at each character in JavaScript.
 */
export function jsonDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  // Next `"` and `\` at or after where they were last searched from; -1 once there are none left.
  let quote = -2;
  let slash = -2;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let from = i + 1;
      for (;;) {
        if (quote !== -1 && quote < from) quote = text.indexOf('"', from);
        if (quote === -1) return max; // an unterminated string runs to the end
        if (slash !== -1 && slash < from) slash = text.indexOf('\\', from);
        if (slash === -1 || slash > quote) break;
        from = slash + 2; // an escape hides the character after the backslash
      }
      i = quote;
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) {
        max = depth;
        if (max > stopAt) return max;
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Depth of an already-parsed value (YAML can nest too), bounded the same way. */
export function valueDepth(value: unknown, stopAt = Limits.maxDepth): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [item, depth] = stack.pop()!;
    if (item === null || typeof item !== 'object') continue;
    const here = depth + 1;
    if (here > max) max = here;
    if (max > stopAt) return max;
    for (const child of Object.values(item)) stack.push([child, here]);
  }
  return max;
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** `path: message` lines from valibot issues, at most `Limits.maxIssues`. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): [string, ...string[]] {
  const lines = issues.slice(0, Limits.maxIssues).map((issue) => {
    const path = v.getDotPath(issue) ?? '(document)';
    const expected = issue.expected ? ` (expected ${issue.expected}, received ${issue.received})` : '';
    return `${path}: ${issue.message}${expected}`.slice(0, 500);
  });
  if (issues.length > Limits.maxIssues) lines.push(`… and ${issues.length - Limits.maxIssues} more issues`);
  return lines as [string, ...string[]];
}

export function validate<S extends v.GenericSchema>(schema: S, value: unknown): Parsed<v.InferOutput<S>> {
  const result = v.safeParse(schema, value, { abortPipeEarly: true });
  return result.success ? { ok: true, value: result.output } : fail(...describeIssues(result.issues));
}

function checkSize(text: string, maxBytes: number): Parsed<string> {
  // Cheap bound first: a string longer than maxBytes code units is over in bytes too.
  if (text.length > maxBytes || byteLength(text) > maxBytes) return fail(`document is larger than ${maxBytes} bytes`);
  return { ok: true, value: text };
}

/** JSON text → unknown, refusing oversize and over-deep documents before parsing. */
export function parseJson(text: string, maxBytes: number): Parsed<unknown> {
  const sized = checkSize(text, maxBytes);
  if (!sized.ok) return sized;
  if (jsonDepth(text, Limits.maxDepth) > Limits.maxDepth) return fail(`document nests deeper than ${Limits.maxDepth} levels`);
  try {
    const value = JSON.parse(stripBom(text)) as unknown;
    return { ok: true, value: mayHoldLoneSurrogates(text) ? wellFormed(value) : value };
  } catch (error) {
    return fail(`not valid JSON: ${error instanceof Error ? error.message.slice(0, 200) : 'parse error'}`);
  }
}

/**
 * Deepest nesting of flow collections (`[`, `{`) in YAML text, from the `yaml` library's own lexer,
 * so brackets in quoted or plain scalars and comments do not count. Run before composing: the
 * composer recurses per level, and 200,000 open brackets (under the size limit) cost seconds before
 * it overflows the stack.
 */
export function yamlFlowDepth(text: string, stopAt = Infinity): number {
  let depth = 0;
  let max = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      if (++depth > max) max = depth;
      if (max > stopAt) return max;
    } else if (token === ']' || token === '}') depth--;
  }
  return max;
}

/**
 * The composed tree, checked before it becomes data: every mapping key a scalar. A key that is a
 * collection or an alias would be turned into a string key, and that costs time exponential in its
 * nesting (400 nested `? ` keys, 801 bytes, took 47 s) and makes the library print a warning with
 * the key's text. Policies have plain keys only. (Depth is checked on the data, aliases expanded.)
 */
function collectionKeyIssue(root: unknown): string | undefined {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isPair(node)) {
      if (node.key !== null && !isScalar(node.key)) return `not valid YAML: a mapping key must be a plain value, not ${isAlias(node.key) ? 'an alias' : 'a collection'}`;
      stack.push(node.value);
    } else if (isMap(node) || isSeq(node)) for (const item of node.items) stack.push(item);
  }
  return undefined;
}

/** YAML text → unknown: one document, unique keys, plain keys, few aliases, no custom tags. */
export function parseYaml(text: string, maxBytes: number): Parsed<unknown> {
  const sized = checkSize(text, maxBytes);
  if (!sized.ok) return sized;
  try {
    const source = stripBom(text);
    if (yamlFlowDepth(source, Limits.maxDepth) > Limits.maxDepth) return fail(`document nests deeper than ${Limits.maxDepth} levels`);
    // logLevel 'error': the library never prints a warning (with document text in it) to stderr.
    const doc = parseDocument(source, { uniqueKeys: true, strict: true, prettyErrors: true, version: '1.2', schema: 'core', logLevel: 'error' });
    if (doc.errors.length > 0) return fail(...(doc.errors.slice(0, Limits.maxIssues).map((e) => `not valid YAML: ${e.message.split('\n')[0]}`) as [string, ...string[]]));
    const issue = collectionKeyIssue(doc.contents);
    if (issue) return fail(issue);
    const value: unknown = wellFormed(doc.toJS({ maxAliasCount: 50 }) as unknown);
    if (valueDepth(value) > Limits.maxDepth) return fail(`document nests deeper than ${Limits.maxDepth} levels`);
    return { ok: true, value };
  } catch (error) {
    return fail(`not valid YAML: ${error instanceof Error ? error.message.split('\n')[0]!.slice(0, 200) : 'parse error'}`);
  }
}

/**
 * Replaces lone surrogates (valid in JSON escapes, invalid as text) with U+FFFD in place, so every
 * string downstream can be hashed, canonicalized and sent as UTF-8 unchanged.
 */
function wellFormed(value: unknown): unknown {
  if (typeof value === 'string') return value.isWellFormed() ? value : value.toWellFormed();
  if (value === null || typeof value !== 'object') return value;
  const stack: object[] = [value];
  while (stack.length > 0) {
    const item = stack.pop() as Record<string, unknown>;
    for (const [key, child] of Object.entries(item)) {
      let k = key;
      if (!k.isWellFormed()) {
        delete item[k];
        k = k.toWellFormed();
        item[k] = child;
      }
      if (typeof child === 'string') {
        if (!child.isWellFormed()) item[k] = child.toWellFormed();
      } else if (child !== null && typeof child === 'object') stack.push(child);
    }
  }
  return value;
}

/**
 * JSON.parse gives a lone surrogate only for one in the text or for a `\uD800`–`\uDFFF` escape: when
 * neither occurs, the walk over every parsed string is skipped (a backslash before the escape only
 * makes this say yes where the walk finds nothing).
 */
function mayHoldLoneSurrogates(text: string): boolean {
  return !text.isWellFormed() || /\\u[dD][89abcdefABCDEF]/.test(text);
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
