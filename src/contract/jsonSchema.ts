import { type ConversionConfig, type JsonSchema, toJsonSchema } from '@valibot/to-json-schema';
import { ENVELOPE_SCHEMA_ID, Envelope } from './envelope.js';
import { EVIDENCE_SCHEMA_ID, Evidence } from './evidence.js';
import { Policy } from './policy.js';

export const SCHEMA_NAMES = ['envelope', 'evidence', 'config'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

const SOURCES = {
  envelope: {
    schema: Envelope,
    title: 'Publish Gate envelope v1',
    description:
      `The result envelope an agent job uploads (envelope.json), identified by "schema": "${ENVELOPE_SCHEMA_ID}". ` +
      'Unknown members are rejected. Checks that JSON Schema cannot express (endLine at or after startLine, ' +
      'unique intent kinds, labels and change paths, base64 or NUL-free change content) are enforced by Publish Gate itself.',
  },
  evidence: {
    schema: Evidence,
    title: 'Publish Gate evidence v1',
    description:
      `The gate evidence (evidence.json), identified by "schema": "${EVIDENCE_SCHEMA_ID}". ` +
      'Unknown members are rejected. Gate names must be unique; Publish Gate enforces that itself.',
  },
  config: {
    schema: Policy,
    title: 'Publish Gate policy v1',
    description:
      'The policy file (.github/publish-gate.yml), version 1. Unknown keys are rejected and every write kind defaults to deny. ' +
      '"approval" is required: write "approval: none" to run without one. Durations (max-age) must be above 0 and at most 90d, ' +
      'and required gates unique; Publish Gate enforces those itself.',
  },
} as const;

/**
 * Actions JSON Schema cannot express. `check` actions are custom predicates (uniqueness, duration
 * bounds, cross-field rules); they are left out and recorded in a `$comment` so a reader knows the
 * document is checked further. Every other unsupported schema or action still throws, so a contract
 * change that the schema would silently lose fails the tests instead.
 */
const config: ConversionConfig = {
  target: 'draft-07',
  typeMode: 'input',
  errorMode: 'throw',
  overrideAction({ valibotAction, jsonSchema }) {
    if (valibotAction.type === 'check') {
      const message = (valibotAction as { message?: unknown }).message;
      const note = `also checked: ${typeof message === 'string' ? message : 'a custom rule'}`;
      return { ...jsonSchema, $comment: jsonSchema.$comment ? `${jsonSchema.$comment}; ${note}` : note };
    }
    if (valibotAction.type === 'regex') {
      const { source, flags } = (valibotAction as unknown as { requirement: RegExp }).requirement;
      // JSON Schema patterns are ECMA-262 regular expressions matched as Unicode, which is what the
      // `u` flag means; any other flag changes semantics and is refused (returning nothing throws).
      if (flags !== '' && flags !== 'u') return undefined;
      if (jsonSchema.pattern === undefined || jsonSchema.pattern === source) return { ...jsonSchema, pattern: source };
      // A second pattern on one string: every pattern must match.
      return { ...jsonSchema, allOf: [...(jsonSchema.allOf ?? []), { pattern: source }] };
    }
    return undefined;
  },
};

/** The JSON Schema (draft-07) of the envelope, the evidence or the policy file; pure and deterministic. */
export function jsonSchemaFor(name: SchemaName): JsonSchema {
  const source = SOURCES[name];
  const { $schema, ...rest } = toJsonSchema(source.schema, config);
  return { $schema, title: source.title, description: source.description, ...rest };
}

/** The committed file a schema is published in, relative to the repository root. */
export function schemaFileName(name: SchemaName): string {
  return `schemas/${name}.schema.json`;
}

/** The exact text of a published schema file. */
export function schemaText(name: SchemaName): string {
  return `${JSON.stringify(jsonSchemaFor(name), null, 2)}\n`;
}
