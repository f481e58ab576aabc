import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { JsonSchema } from '@valibot/to-json-schema';
import { describe, expect, it } from 'vitest';
import { WRITE_KINDS } from './common.js';
import { SCHEMA_NAMES, type SchemaName, jsonSchemaFor, schemaFileName, schemaText } from './jsonSchema.js';
import { Limits } from './limits.js';
import { parseYaml } from './parse.js';

const root = new URL('../../', import.meta.url);
const update = process.env.UPDATE_SCHEMAS === '1';

const readExample = (name: string) => readFileSync(new URL(`examples/${name}`, root), 'utf8');
const exampleEnvelope = (): Record<string, any> => JSON.parse(readExample('envelope.json'));
const exampleEvidence = (): Record<string, any> => JSON.parse(readExample('evidence.json'));
function examplePolicy(): Record<string, any> {
  const parsed = parseYaml(readExample('publish-gate.yml'), Limits.policyBytes);
  if (!parsed.ok) throw new Error(parsed.issues.join('\n'));
  return parsed.value as Record<string, any>;
}

type Node = JsonSchema;

/** Every subschema, with its JSON pointer-ish location. */
function* walk(node: unknown, at = '#'): Generator<[string, Node]> {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return;
  const schema = node as Node;
  yield [at, schema];
  for (const [key, child] of Object.entries(schema)) {
    if (key === 'properties' && child) for (const [name, sub] of Object.entries(child)) yield* walk(sub, `${at}/properties/${name}`);
    else if ((key === 'anyOf' || key === 'allOf') && Array.isArray(child)) for (const [i, sub] of child.entries()) yield* walk(sub, `${at}/${key}/${i}`);
    else if (key === 'items' || key === 'additionalProperties' || key === 'propertyNames') yield* walk(child, `${at}/${key}`);
  }
}

const KNOWN = new Set([
  '$schema', 'title', 'description', '$comment', 'default', 'format',
  'type', 'const', 'enum', 'pattern', 'minLength', 'maxLength', 'minimum', 'maximum',
  'items', 'minItems', 'maxItems', 'properties', 'required', 'additionalProperties', 'propertyNames', 'anyOf', 'allOf',
]);

/**
 * A minimal JSON Schema (draft-07) validator for the keywords the generated schemas use. No JSON
 * Schema validator is installed; this one refuses any keyword it does not know, so the schemas
 * cannot grow a constraint the test silently skips. `format` is an annotation here.
 */
function errors(schema: Node, value: unknown, at = '$'): string[] {
  const out: string[] = [];
  for (const key of Object.keys(schema)) if (!KNOWN.has(key)) throw new Error(`unsupported keyword ${key} at ${at}`);
  const type = schema.type;
  if (type !== undefined) {
    const actual =
      value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'number' && Number.isInteger(value) ? 'integer' : typeof value;
    const ok = type === actual || (type === 'number' && actual === 'integer');
    if (!ok) return [`${at}: expected ${String(type)}, got ${actual}`];
  }
  if ('const' in schema && value !== schema.const) out.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (schema.enum && !schema.enum.includes(value as never)) out.push(`${at}: not in enum`);
  if (typeof value === 'string') {
    const length = [...value].length;
    if (schema.minLength !== undefined && length < schema.minLength) out.push(`${at}: shorter than ${schema.minLength}`);
    if (schema.maxLength !== undefined && length > schema.maxLength) out.push(`${at}: longer than ${schema.maxLength}`);
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) out.push(`${at}: does not match ${schema.pattern}`);
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) out.push(`${at}: below ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) out.push(`${at}: above ${schema.maximum}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) out.push(`${at}: fewer than ${schema.minItems} items`);
    if (schema.maxItems !== undefined && value.length > schema.maxItems) out.push(`${at}: more than ${schema.maxItems} items`);
    if (schema.items) for (const [i, item] of value.entries()) out.push(...errors(schema.items as Node, item, `${at}[${i}]`));
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const object = value as Record<string, unknown>;
    for (const key of schema.required ?? []) if (!(key in object)) out.push(`${at}: missing ${key}`);
    for (const [key, member] of Object.entries(object)) {
      const declared = schema.properties?.[key];
      if (declared !== undefined) out.push(...errors(declared as Node, member, `${at}.${key}`));
      else if (schema.additionalProperties === false) out.push(`${at}: unknown member ${key}`);
      else if (schema.additionalProperties) out.push(...errors(schema.additionalProperties as Node, member, `${at}.${key}`));
      if (schema.propertyNames) out.push(...errors(schema.propertyNames as Node, key, `${at}{${key}}`));
    }
  }
  if (schema.allOf) for (const sub of schema.allOf) out.push(...errors(sub as Node, value, at));
  if (schema.anyOf && !schema.anyOf.some((sub) => errors(sub as Node, value, at).length === 0)) out.push(`${at}: matches no alternative`);
  return out;
}

const at = (schema: JsonSchema, ...path: string[]): Node => {
  let node: any = schema;
  for (const key of path) {
    node = node?.[key];
    if (node === undefined) throw new Error(`no ${path.join('.')}`);
  }
  return node as Node;
};

describe('published schema files', () => {
  it.each(SCHEMA_NAMES.map((name) => [name]))('%s matches src/contract', (name: SchemaName) => {
    const file = new URL(schemaFileName(name), root);
    const expected = schemaText(name);
    if (update) {
      mkdirSync(new URL('schemas/', root), { recursive: true });
      writeFileSync(file, expected);
    }
    let committed = '';
    try {
      committed = readFileSync(file, 'utf8');
    } catch {
      // Missing: reported below like any other difference.
    }
    expect(committed, `${schemaFileName(name)} is out of date with src/contract: run \`npm run schemas\``).toBe(expected);
  });
});

describe('jsonSchemaFor', () => {
  it('is deterministic and returns a fresh object each time', () => {
    for (const name of SCHEMA_NAMES) {
      const a = jsonSchemaFor(name);
      const b = jsonSchemaFor(name);
      expect(a).not.toBe(b);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      (a as Record<string, unknown>).mutated = true;
      expect(JSON.stringify(jsonSchemaFor(name))).toBe(JSON.stringify(b));
      expect(schemaText(name)).toBe(`${JSON.stringify(b, null, 2)}\n`);
    }
  });

  it('is draft-07 with a title and description and no network identifiers', () => {
    for (const name of SCHEMA_NAMES) {
      const schema = jsonSchemaFor(name);
      expect(Object.keys(schema).slice(0, 3)).toEqual(['$schema', 'title', 'description']);
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect(schema.title).toMatch(/^Publish Gate /);
      expect(schema.$id).toBeUndefined();
      const { $schema: _meta, ...rest } = schema;
      expect(JSON.stringify(rest)).not.toMatch(/https?:\/\//);
      expect(JSON.stringify(rest)).not.toContain('$ref');
    }
  });

  it('uses only keywords the test validator understands, and every pattern compiles', () => {
    for (const name of SCHEMA_NAMES) {
      for (const [where, node] of walk(jsonSchemaFor(name))) {
        for (const key of Object.keys(node)) expect(KNOWN.has(key), `${name} ${where}: ${key}`).toBe(true);
        if (node.pattern !== undefined) expect(() => new RegExp(node.pattern!, 'u'), `${name} ${where}`).not.toThrow();
      }
    }
  });

  it('closes every object: additionalProperties is false wherever members are declared', () => {
    for (const name of SCHEMA_NAMES) {
      let objects = 0;
      for (const [where, node] of walk(jsonSchemaFor(name))) {
        if (node.properties === undefined) continue;
        objects++;
        expect(node.type, `${name} ${where}`).toBe('object');
        expect(node.additionalProperties, `${name} ${where}`).toBe(false);
      }
      expect(objects).toBeGreaterThan(1);
    }
  });

  it('lists the required members', () => {
    const envelope = jsonSchemaFor('envelope');
    expect(envelope.required).toEqual(['schema', 'task', 'target', 'epoch', 'intent']);
    expect(at(envelope, 'properties', 'task').required).toEqual(['id', 'status']);
    expect(at(envelope, 'properties', 'target').required).toEqual(['repository', 'baseRef', 'baseSha', 'headRef', 'headSha']);
    expect(at(envelope, 'properties', 'findings', 'items').required).toEqual(['ruleId', 'severity', 'confidence', 'path', 'startLine', 'title']);
    const evidence = jsonSchemaFor('evidence');
    expect(evidence.required).toEqual(['schema', 'repository', 'headSha', 'epoch', 'gates']);
    expect(at(evidence, 'properties', 'gates', 'items').required).toEqual(['name', 'result', 'completedAt']);
    const config = jsonSchemaFor('config');
    expect(config.required).toEqual(['version', 'repositories', 'approval']);
  });

  it('carries enums, constants, patterns and bounds', () => {
    const envelope = jsonSchemaFor('envelope');
    expect(at(envelope, 'properties', 'schema').const).toBe('publish-gate/envelope@1');
    expect(at(envelope, 'properties', 'intent', 'items').enum).toEqual([...WRITE_KINDS]);
    expect(at(envelope, 'properties', 'intent').maxItems).toBe(7);
    for (const key of ['baseSha', 'headSha']) {
      const sha = at(envelope, 'properties', 'target', 'properties', key);
      expect(sha).toMatchObject({ type: 'string', pattern: '^[0-9a-f]{40}$' });
      const pattern = new RegExp(sha.pattern!, 'u');
      expect(pattern.test(exampleEnvelope().target[key])).toBe(true);
      expect(pattern.test('A'.repeat(40))).toBe(false);
      expect(pattern.test('a'.repeat(39))).toBe(false);
    }
    expect(at(envelope, 'properties', 'findings').maxItems).toBe(Limits.findings);
    expect(at(envelope, 'properties', 'findings', 'items', 'properties', 'severity').enum).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    expect(at(envelope, 'properties', 'findings', 'items', 'properties', 'confidence')).toMatchObject({ type: 'number', minimum: 0, maximum: 1 });
    expect(at(envelope, 'properties', 'labels', 'items')).toMatchObject({ minLength: 1, maxLength: 50 });
    const fileVariants = at(envelope, 'properties', 'changes', 'properties', 'files', 'items').anyOf as Node[];
    expect(fileVariants[0]?.properties?.mode).toMatchObject({ enum: ['100644', '100755'], default: '100644' });
    expect(fileVariants[1]?.properties?.deleted).toEqual({ const: true });
    expect(at(jsonSchemaFor('evidence'), 'properties', 'gates', 'items', 'properties', 'result').enum).toEqual(['PASS', 'FAIL', 'ERROR', 'SKIPPED']);
    const events = at(jsonSchemaFor('config'), 'properties', 'triggers', 'properties', 'events', 'items');
    expect(events.allOf).toEqual([{ pattern: '^[a-z_]+$' }]);
  });

  it('carries the policy defaults: dry-run and deny everywhere', () => {
    const config = jsonSchemaFor('config');
    expect(at(config, 'properties', 'mode').default).toBe('dry-run');
    const writes = at(config, 'properties', 'writes', 'properties');
    for (const kind of ['comment', 'review', 'check-run', 'status']) expect(at(writes, kind).default, kind).toBe('deny');
    expect(at(writes, 'labels').default).toEqual([]);
    expect(at(writes, 'pull-request').default).toEqual({ create: 'deny', update: 'deny', 'draft-only': true });
    expect(at(writes, 'branch').default).toMatchObject({ create: 'deny' });
    expect(at(config, 'properties', 'gates', 'properties', 'max-age').default).toBe('24h');
    expect(at(config, 'properties', 'approval').anyOf).toContainEqual({ const: 'none' });
    expect(at(jsonSchemaFor('envelope'), 'properties', 'findings').default).toEqual([]);
  });

  it('records the rules it cannot express', () => {
    const comments = (name: SchemaName) => [...walk(jsonSchemaFor(name))].map(([, node]) => node.$comment).filter(Boolean);
    expect(comments('envelope')).toEqual(
      expect.arrayContaining([
        'also checked: each write kind at most once',
        'also checked: endLine at or after startLine',
        'also checked: each path at most once',
      ]),
    );
    expect(comments('evidence')).toContain('also checked: each gate name at most once');
    expect(comments('config')).toContain(`also checked: a duration above 0 and at most 90d`);
  });
});

describe('the examples validate against the published schemas', () => {
  it.each([
    ['envelope', exampleEnvelope],
    ['evidence', exampleEvidence],
    ['config', examplePolicy],
  ] as const)('%s', (name, example) => {
    expect(errors(jsonSchemaFor(name), example())).toEqual([]);
  });

  it('a minimal policy validates', () => {
    expect(errors(jsonSchemaFor('config'), { version: 1, repositories: ['octo/app'], approval: 'none' })).toEqual([]);
  });

  const invalid: [SchemaName, string, () => unknown][] = [
    ['envelope', 'unknown member', () => ({ ...exampleEnvelope(), extra: 1 })],
    ['envelope', 'unknown nested member', () => { const e = exampleEnvelope(); e.findings[0].extra = 1; return e; }],
    ['envelope', 'upper-case SHA', () => { const e = exampleEnvelope(); e.target.headSha = e.target.headSha.toUpperCase(); return e; }],
    ['envelope', '39-character SHA', () => { const e = exampleEnvelope(); e.target.baseSha = e.target.baseSha.slice(1); return e; }],
    ['envelope', 'unknown intent', () => ({ ...exampleEnvelope(), intent: ['merge'] })],
    ['envelope', 'bad repository', () => { const e = exampleEnvelope(); e.target.repository = 'octo'; return e; }],
    ['envelope', 'missing intent', () => { const e = exampleEnvelope(); delete e.intent; return e; }],
    ['envelope', 'label too long', () => ({ ...exampleEnvelope(), labels: ['l'.repeat(51)] })],
    ['envelope', 'confidence above 1', () => { const e = exampleEnvelope(); e.findings[0].confidence = 2; return e; }],
    ['envelope', 'symlink mode', () => ({ ...exampleEnvelope(), changes: { branch: 'b', message: 'm', files: [{ path: 'a', content: 'x', mode: '120000' }] } })],
    ['envelope', 'control character in a title', () => { const e = exampleEnvelope(); e.findings[0].title = 'a\u0007b'; return e; }],
    ['evidence', 'unknown gate member', () => { const e = exampleEvidence(); e.gates[0].extra = 1; return e; }],
    ['evidence', 'unknown result', () => { const e = exampleEvidence(); e.gates[0].result = 'OK'; return e; }],
    ['config', 'missing approval', () => { const p = examplePolicy(); delete p.approval; return p; }],
    ['config', 'approve reviews', () => { const p = examplePolicy(); p.writes.review = 'approve'; return p; }],
    ['config', 'unknown write kind', () => { const p = examplePolicy(); p.writes.merge = 'allow'; return p; }],
    ['config', 'duration without unit', () => { const p = examplePolicy(); p.gates['max-age'] = '24'; return p; }],
    ['config', 'event name with capitals', () => { const p = examplePolicy(); p.triggers.events = ['Push']; return p; }],
  ];
  it.each(invalid)('%s: rejects %s', (name, _what, value) => {
    expect(errors(jsonSchemaFor(name), value()).length).toBeGreaterThan(0);
  });
});
