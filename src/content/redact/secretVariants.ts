import { Buffer } from 'node:buffer';

/**
 * Known values shorter than this are ignored: a 1–5 character value (`true`, `main`, a PIN) would
 * redact ordinary text all over a comment and its leak would matter little. Values are trimmed first.
 */
export const MIN_KNOWN_SECRET_LENGTH = 6;

/** One searched form of a known value. `base64` forms are widened to the base64 run they sit in. */
export interface SecretForm {
  value: string;
  base64: boolean;
}

/**
 * The forms of a known value that are searched for: plain; URL-encoded (upper- and lower-case hex,
 * `+` for space, `encodeURI` too); JSON-escaped (also with `\/`, `\uXXXX` for non-ASCII, and escaped
 * twice); base64 and base64url of the value, of `x-access-token:<value>` and of the value at each of
 * the three byte alignments inside a longer base64 stream, trimmed to the characters that depend on
 * the value alone. The last form covers `user:<value>` basic-auth headers for any user name and
 * `echo <value> | base64`. A multi-line value is also searched line by line, as the runner masks it.
 * Values shorter than {@link MIN_KNOWN_SECRET_LENGTH} after trimming give no forms.
 */
export function secretVariants(secret: string): string[] {
  return secretForms(secret).map((form) => form.value);
}

/** {@link secretVariants} with the kind of each form, longest first, without duplicates. */
export function secretForms(secret: string): SecretForm[] {
  const values = new Set<string>();
  const trimmed = secret.trim();
  if (trimmed.length >= MIN_KNOWN_SECRET_LENGTH) values.add(trimmed);
  if (/[\r\n]/.test(trimmed)) {
    values.add(trimmed.replace(/\r?\n/g, '\r\n'));
    values.add(trimmed.replace(/\r\n/g, '\n'));
    for (const line of trimmed.split(/\r?\n|\r/)) {
      const value = line.trim();
      if (value.length >= MIN_KNOWN_SECRET_LENGTH) values.add(value);
    }
  }
  const forms = new Map<string, boolean>();
  const add = (value: string, base64: boolean) => {
    if (value.length >= MIN_KNOWN_SECRET_LENGTH && !forms.has(value)) forms.set(value, base64);
  };
  for (const value of values) {
    for (const text of textForms(value)) add(text, false);
    for (const encoded of base64Forms(value)) {
      add(encoded, true);
      add(toBase64Url(encoded), true);
    }
  }
  return [...forms]
    .map(([value, base64]) => ({ value, base64 }))
    .sort((a, b) => b.value.length - a.value.length || (a.value < b.value ? -1 : 1));
}

function textForms(value: string): string[] {
  const forms = [value];
  for (const encoded of [encodeURIComponent(value), encodeURI(value)]) {
    forms.push(encoded, encoded.replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()), encoded.replace(/%20/g, '+'));
  }
  const json = JSON.stringify(value).slice(1, -1);
  const jsonAscii = json.replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  forms.push(json, json.replace(/\//g, '\\/'), jsonAscii, JSON.stringify(json).slice(1, -1));
  return forms;
}

function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = [
    bytes.toString('base64'),
    Buffer.from(`x-access-token:${value}`, 'utf8').toString('base64'),
  ];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes, Buffer.alloc(2)]).toString('base64');
    // Character j carries bits [6j, 6j + 6): keep those that lie wholly inside the value's bits.
    const first = Math.ceil((8 * offset) / 6);
    const end = Math.floor((8 * (offset + bytes.length)) / 6);
    forms.push(encoded.slice(first, end));
  }
  return forms;
}

function toBase64Url(encoded: string): string {
  return encoded.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
