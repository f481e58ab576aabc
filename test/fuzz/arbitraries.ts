import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import { parse as yamlParse, stringify as yamlStringify } from 'yaml';

/** Shared generators for the fuzz properties: hostile text, hostile JSON, and mutations of the examples. */

// fast-check prints `{ seed, path }` with every counterexample; FUZZ_SEED=<seed> replays a run.
if (process.env.FUZZ_SEED) fc.configureGlobal({ seed: Number(process.env.FUZZ_SEED) });

const examples = resolve(import.meta.dirname, '../../examples');
const read = (...parts: string[]) => readFileSync(resolve(examples, ...parts), 'utf8');

/** Every valid example of each document, the top-level ones first, then each profile's. */
export const EXAMPLES = (() => {
  const profiles = readdirSync(resolve(examples, 'profiles'));
  return {
    envelope: [read('envelope.json'), ...profiles.map((p) => read('profiles', p, 'envelope.json'))],
    evidence: [read('evidence.json'), ...profiles.map((p) => read('profiles', p, 'evidence.json'))],
    policy: [read('publish-gate.yml'), ...profiles.map((p) => read('profiles', p, 'publish-gate.yml'))],
  };
})();

/** One UTF-16 code unit, any of them: lone surrogates, controls, NUL, BOM, line and paragraph separators. */
export const anyCodeUnit = fc.oneof(
  fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  fc.constantFrom('\u0000', '\r', '\n', '\u2028', '\u2029', '\u0085', '\ufeff', '\ud800', '\udfff', '\u200d', '\u202e', '"', '\\', '{', '[', ':', '#', '&', '*', '!'),
);

/** Short tokens that mean something to a JSON/YAML parser, a Markdown renderer, the runner's log or a path. */
export const hostileToken = fc.constantFrom(
  '::error::forged',
  '\n::warning file=x::y',
  '\r::stop-commands::tok',
  '##[error]forged',
  '::add-mask::x',
  '@octo/security',
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '](javascript:alert(1))',
  '../../etc/passwd',
  'C:\\Windows',
  '__proto__',
  'constructor',
  'prototype',
  '\ud800',
  '\udc00x',
  '\u0000',
  '\ufeff',
  '%0A::error::x',
  '${{ secrets.X }}',
  '*a',
  '&a',
  '<<: *a',
  '!!js/function',
  '!!binary',
  '%YAML 1.1',
  '---',
  '...',
  '? ',
  '- ',
  '\t',
  '"\\u0000"',
  '1e400',
  '-0',
  '9007199254740993',
  'NaN',
  'Infinity',
  'null',
  'true',
  'yes',
  '0x1F',
  '2026-11-21T10:00:00Z',
  'x'.repeat(5000),
);

/** Text made of the above: any code unit and hostile tokens interleaved. */
export const hostileText = (maxLength = 60): fc.Arbitrary<string> =>
  fc.array(fc.oneof({ weight: 3, arbitrary: anyCodeUnit }, { weight: 1, arbitrary: hostileToken }), { maxLength }).map((parts) => parts.join(''));

/** A leaf value for a JSON tree: any primitive, a hostile string, a huge string, extreme numbers. */
export const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, 5e-324, Number.MAX_SAFE_INTEGER + 2),
  hostileText(),
  fc.string(),
  fc.nat({ max: 300_000 }).map((n) => 'a'.repeat(n)),
);

/** A JSON-like value with hostile keys (`__proto__`, `constructor`) and leaves, nested to a bounded depth. */
export const hostileJsonValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileLeaf,
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'schema', ''), hostileText(8)), tie('value'), {
      maxKeys: 6,
    }),
  ),
})).value;

/** Deep nesting, as text (never built as a value, which could overflow a stack in the generator). */
export const deepJsonText = fc
  .record({ depth: fc.integer({ min: 1, max: 200_000 }), open: fc.constantFrom('[', '{"a":', '[{"b":'), close: fc.boolean() })
  .map(({ depth, open, close }) => {
    const closer = open === '[' ? ']' : open === '{"a":' ? '}' : '}]';
    return open.repeat(depth) + '1' + (close ? closer.repeat(depth) : '');
  });

/**
 * YAML nested deep in the shapes the policy parser has to survive: flow collections (refused from
 * the lexer), block sequences, and complex keys (`? `), whose conversion to string keys was
 * exponential in their nesting. Up to 60,000 levels stays under the policy size limit.
 */
export const deepYamlText = fc
  .record({ depth: fc.integer({ min: 1, max: 60_000 }), open: fc.constantFrom('? ', '- ', '[', '{a: ', '&x [', '? [', '- ? '), close: fc.boolean() })
  .map(({ depth, open, close }) => {
    const closer = open.endsWith('[') ? ']' : open === '{a: ' ? '}' : '';
    return open.repeat(depth) + '1' + (close ? closer.repeat(depth) : '');
  });

/** A path into a JSON tree: object keys and array indices, chosen later against the actual tree. */
type Step = number;

function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((child, i) => paths(child, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, child] of Object.entries(value)) paths(child, [...prefix, k], out);
  return out;
}

/** One structural edit of a parsed document. */
export type Edit =
  | { op: 'replace'; at: Step; value: unknown }
  | { op: 'delete'; at: Step }
  | { op: 'add'; at: Step; key: string; value: unknown }
  | { op: 'duplicate-array'; at: Step; times: number };

export const editArb = (inject: fc.Arbitrary<unknown> = hostileJsonValue): fc.Arbitrary<Edit> =>
  fc.oneof(
    fc.record({ op: fc.constant('replace' as const), at: fc.nat(), value: inject }),
    fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('add' as const), at: fc.nat(), key: fc.oneof(fc.constantFrom('__proto__', 'constructor', 'extra', 'schema'), fc.string()), value: inject }),
    fc.record({ op: fc.constant('duplicate-array' as const), at: fc.nat(), times: fc.integer({ min: 2, max: 200 }) }),
  );

/** Applies edits to a deep copy of `doc`; keys are set with defineProperty so `__proto__` becomes an own key. */
export function applyEdits(doc: unknown, edits: readonly Edit[]): unknown {
  let root = structuredClone(doc);
  for (const edit of edits) {
    const all = paths(root);
    const path = all[edit.at % all.length]!;
    const parentPath = path.slice(0, -1);
    const last = path.at(-1);
    let parent: any = root;
    for (const p of parentPath) parent = parent[p];
    const target: any = last === undefined ? root : parent[last];
    const set = (container: any, key: string | number, value: unknown) => Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
    switch (edit.op) {
      case 'replace':
        if (last === undefined) root = edit.value;
        else set(parent, last, edit.value);
        break;
      case 'delete':
        if (last === undefined) break;
        if (Array.isArray(parent)) parent.splice(Number(last), 1);
        else delete parent[last];
        break;
      case 'add':
        if (target !== null && typeof target === 'object' && !Array.isArray(target)) set(target, edit.key, edit.value);
        else if (Array.isArray(target)) target.push(edit.value);
        break;
      case 'duplicate-array':
        if (Array.isArray(target) && target.length > 0) {
          const copy = [...target];
          for (let i = 1; i < edit.times; i++) target.push(...structuredClone(copy));
        }
        break;
    }
  }
  return root;
}

/** One edit of the text itself: a cut, an insertion, a replaced slice, a truncation. */
export type TextEdit = { at: number; remove: number; insert: string };

export const textEditArb = fc.record({ at: fc.nat(), remove: fc.nat({ max: 40 }), insert: hostileText(12) });

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const { at, remove, insert } of edits) {
    const i = out.length === 0 ? 0 : at % (out.length + 1);
    out = out.slice(0, i) + insert + out.slice(i + remove);
  }
  return out;
}

/** JSON text of a mutated example: structural edits, then (sometimes) text edits of the serialization. */
export const mutatedJson = (texts: readonly string[], inject?: fc.Arbitrary<unknown>): fc.Arbitrary<string> =>
  fc
    .record({
      base: fc.constantFrom(...texts),
      edits: fc.array(editArb(inject), { maxLength: 4 }),
      textEdits: fc.array(textEditArb, { maxLength: 3 }),
      indent: fc.constantFrom(0, 2),
      bom: fc.boolean(),
    })
    .map(({ base, edits, textEdits, indent, bom }) => (bom ? '\ufeff' : '') + applyTextEdits(JSON.stringify(applyEdits(JSON.parse(base), edits), null, indent) ?? 'undefined', textEdits));

/** YAML hazards spliced into a policy: aliases, merges, tags, duplicate keys, a billion-laughs bomb. */
const yamlHazard = fc.constantFrom(
  '\nx: &a [1,2]\ny: *a\n',
  '\n<<: *undefined\n',
  '\nversion: 1\n',
  '\nmode: !!js/function "function(){}"\n',
  '\nmode: !custom x\n',
  '\n%TAG ! tag:x,2000:\n',
  '\n--- \nversion: 1\n',
  `\na: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n`,
  '\n' + '- '.repeat(100) + 'x\n',
  '\nk: ' + '['.repeat(500) + '\n',
  '\n? [a, b]\n: complex-key\n',
  '\n__proto__: { polluted: true }\n',
  '\nconstructor: { prototype: { polluted: true } }\n',
  '\t\n  \t- x\n',
);

/** Policy YAML: structural edits through the yaml library, or text edits and hazards on the source. */
export const mutatedYamlOf = (texts: readonly string[]): fc.Arbitrary<string> => fc.oneof(
  fc
    .record({ base: fc.constantFrom(...texts), edits: fc.array(editArb(), { minLength: 1, maxLength: 4 }) })
    .map(({ base, edits }) => yamlStringify(applyEdits(yamlParse(base), edits)) ?? ''),
  fc
    .record({
      base: fc.constantFrom(...texts),
      edits: fc.array(fc.oneof(textEditArb, fc.record({ at: fc.nat(), remove: fc.constant(0), insert: yamlHazard })), { minLength: 1, maxLength: 4 }),
    })
    .map(({ base, edits }) => applyTextEdits(base, edits)),
);
export const mutatedYaml = mutatedYamlOf(EXAMPLES.policy);

/**
 * Secrets the documents plant (shared by the in-process and the bundle properties, run.test.ts and
 * dist.test.ts): a token shaped like an installation token, and a ledger key. The runs register both
 * as secrets (the `github-token` and `ledger-key` inputs), so neither may reach the log, the outputs or
 * the summary in the clear.
 */
export const TOKEN = 'ghs_' + 'Zq8Xw3Lm7Np2Rt5Vy9Bc4Df6Gh1Jk0Ms2Pu7'.slice(0, 36);
export const LEDGER_KEY = 'ledger-key-Hq3Vn8Tz1Wx6Yb4Kc9Md2Pf7';
export const SECRETS = [TOKEN, LEDGER_KEY];

/** Printable text, with command openers, mentions and markup but no control characters (which the schemas refuse). */
export const printable = fc.array(fc.oneof(fc.string(), fc.constantFrom('::error::x', ' ::warning::', '##[error]', '@octo/security', '<script>', '](javascript:x)', '${{ x }}', '%0A')), { maxLength: 3 }).map((a) => a.join(''));
/** Text carrying a secret, in printable or hostile text, plain or as a key=value, a URL's credentials, a header or quoted. */
export const secretText = fc
  .record({ secret: fc.constantFrom(...SECRETS), before: fc.oneof(printable, hostileText(6)), after: fc.oneof(printable, hostileText(6)), form: fc.constantFrom('plain', 'kv', 'url', 'header', 'quoted') })
  .map(({ secret, before, after, form }) => {
    const core = { plain: secret, kv: `GITHUB_TOKEN=${secret}`, url: `https://x-access-token:${secret}@github.com/octo/app.git`, header: `Authorization: token ${secret}`, quoted: `'${secret}'` }[form];
    return before + core + after;
  });

/** A secret in printable text only, which every prose field of the schemas accepts. */
export const printableSecret = fc.tuple(printable, fc.constantFrom(...SECRETS), printable, fc.constantFrom('', 'GITHUB_TOKEN=', 'token ', 'https://x-access-token:')).map(([a, secret, b, pre]) => `${a}${pre}${secret}${b}`);

/** What the mutations inject into the examples: hostile JSON, or a string carrying a secret. */
export const inject = fc.oneof({ weight: 2, arbitrary: hostileJsonValue }, { weight: 3, arbitrary: secretText }, { weight: 1, arbitrary: hostileToken });

/** Every string leaf path of a JSON tree. */
export function stringPaths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (typeof value === 'string') out.push(prefix);
  else if (Array.isArray(value)) value.forEach((child, i) => stringPaths(child, [...prefix, i], out));
  else if (value !== null && typeof value === 'object') for (const [k, child] of Object.entries(value)) stringPaths(child, [...prefix, k], out);
  return out;
}

/**
 * An example envelope whose string fields (summary, titles, bodies, paths, refs, the exit reason...)
 * carry secrets and hostile text while keeping their type, so many stay valid and travel far.
 */
export const seededEnvelope = (i: number, hostile = true) => fc
  .record({
    base: fc.constant(EXAMPLES.envelope[i]!),
    seeds: fc.array(fc.record({ at: fc.nat(), anywhere: hostile ? fc.constantFrom(false, false, false, true) : fc.constant(false), text: hostile ? fc.oneof({ weight: 3, arbitrary: secretText }, { weight: 1, arbitrary: hostileText(40) }) : printableSecret, mode: fc.constantFrom('replace', 'append') }), { minLength: 1, maxLength: 6 }),
    failed: hostile ? fc.constantFrom(false, false, false, true) : fc.constant(false),
    escape: fc.boolean(),
    edits: hostile ? fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(editArb(inject), { maxLength: 1 }) }) : fc.constant([]),
  })
  .map(({ base, seeds, failed, escape, edits }) => {
    const doc = JSON.parse(base);
    if (failed && doc.task) {
      doc.task.status = 'failed';
      doc.task.exitReason = `crashed: ${TOKEN}`;
    }
    const all = stringPaths(doc).filter((p) => !(p.length === 1 && p[0] === 'schema'));
    // Free text keeps the document valid, so the secret reaches the plan, the summary and the bodies.
    const prose = all.filter((p) => ['summary', 'title', 'body', 'evidence', 'exitReason', 'suggestedValidation', 'message'].includes(String(p.at(-1))));
    for (const { at, anywhere, text, mode } of seeds) {
      const pool = anywhere || prose.length === 0 ? all : prose;
      const path = pool[at % pool.length]!;
      let parent = doc;
      for (const p of path.slice(0, -1)) parent = parent[p];
      const last = path.at(-1)!;
      parent[last] = mode === 'replace' ? text : `${parent[last]} ${text}`;
    }
    const json = JSON.stringify(applyEdits(doc, edits), null, 2);
    // A secret written with a JSON escape is the same string once parsed.
    return escape ? json.replaceAll('ghs_', '\\u0067hs_') : json;
  });

export const envelopeText = (i: number) =>
  fc.oneof(
    { weight: 4, arbitrary: seededEnvelope(i) },
    { weight: 2, arbitrary: mutatedJson([EXAMPLES.envelope[i]!], inject) },
    { weight: 1, arbitrary: fc.constant(EXAMPLES.envelope[i]!) },
    { weight: 1, arbitrary: fc.oneof(hostileText(200), secretText) },
  );
export const evidenceText = (i: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(EXAMPLES.evidence[i]!) },
    { weight: 2, arbitrary: mutatedJson([EXAMPLES.evidence[i]!], inject) },
    { weight: 1, arbitrary: secretText },
  );
export const policyText = (i: number) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(EXAMPLES.policy[i]!) },
    { weight: 2, arbitrary: mutatedYamlOf([EXAMPLES.policy[i]!]) },
    {
      weight: 1,
      arbitrary: fc
        .array(fc.record({ at: fc.nat(), remove: fc.nat({ max: 10 }), insert: secretText }), { minLength: 1, maxLength: 3 })
        .map((edits) => applyTextEdits(EXAMPLES.policy[i]!, edits)),
    },
    { weight: 1, arbitrary: fc.array(textEditArb, { maxLength: 2 }).map((edits) => applyTextEdits(EXAMPLES.policy[i]!, edits)) },
    // Deep shapes, and collection keys whose text once reached stderr in a library warning.
    { weight: 1, arbitrary: fc.oneof(deepYamlText, fc.constantFrom(`? [x, "${'y'.repeat(90)}", "::warning::forged"]\n: 1\n`, '? {a: "\\n::error::forged"}\n: 1\n')) },
  );
/** The three documents of one example profile (so many runs get past the consistency checks), each mutated or not. */
export const documents = fc.integer({ min: 0, max: EXAMPLES.envelope.length - 1 }).chain((i) => fc.tuple(envelopeText(i), evidenceText(i), policyText(i)));

/** A workflow command the runner would act on: `::` opening a line (after `\r`, `\n` or leading blanks), or `##[` anywhere. */
export function commandIn(text: string): string | undefined {
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (/^\s*::/.test(line)) return line.slice(0, 80);
    if (line.includes('##[')) return line.slice(0, 80);
  }
  return undefined;
}

/** A `Promise.race` against a timer, so a hang fails the property instead of the test's own timeout. */
/**
 * For properties whose cases can hang: a run that outgrows its test's time limit still ends as a
 * fast-check failure, with the counterexample found so far, instead of a bare test timeout that
 * hides it (CI once lost a real hang that way).
 */
export const HANG_BUDGET = { interruptAfterTimeLimit: 90_000, markInterruptAsFailure: true } as const;
export const HANG_TEST_MS = 120_000;

export async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
