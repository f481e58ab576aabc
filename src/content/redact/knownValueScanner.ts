import { checkDeadline } from './deadline.js';
import { secretForms } from './secretVariants.js';
import type { Scanner, SecretFinding } from './types.js';

export const KNOWN_SECRET_RULE = 'known-secret';

const BASE64_CHAR = /[A-Za-z0-9+/_-]/;

/**
 * A scanner for the forms (see `secretVariants`) of values the action knows. A base64 form is widened
 * to the whole base64 run around it, so the characters that mix the value with its neighbours (and a
 * basic-auth user name) go too.
 */
export function createKnownValueScanner(secrets: readonly string[]): Scanner {
  const forms = [...new Map(secrets.flatMap(secretForms).map((form) => [form.value, form])).values()];
  return (text, deadline) => {
    const findings: SecretFinding[] = [];
    for (const form of forms) {
      checkDeadline(deadline);
      for (let at = text.indexOf(form.value); at !== -1; at = text.indexOf(form.value, at + form.value.length)) {
        let start = at;
        let end = at + form.value.length;
        if (form.base64) {
          while (start > 0 && BASE64_CHAR.test(text[start - 1]!)) start--;
          while (end < text.length && BASE64_CHAR.test(text[end]!)) end++;
          for (let pad = 0; pad < 2 && text[end] === '='; pad++) end++;
        }
        findings.push({ rule: KNOWN_SECRET_RULE, start, end });
      }
    }
    return findings;
  };
}
