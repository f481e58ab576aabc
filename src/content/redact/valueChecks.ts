/** Shannon entropy of a string in bits per character. */
export function shannonEntropy(value: string): number {
  if (value.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const c of value) counts.set(c, (counts.get(c) ?? 0) + 1);
  let entropy = 0;
  const length = [...value].length;
  for (const count of counts.values()) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

/** How many of: lower-case letter, upper-case letter, digit, other character. */
export function characterClasses(value: string): number {
  return (
    Number(/[a-z]/.test(value)) +
    Number(/[A-Z]/.test(value)) +
    Number(/[0-9]/.test(value)) +
    Number(/[^A-Za-z0-9]/.test(value))
  );
}

const PLACEHOLDER_WORDS = new Set(
  [
    'password', 'passwd', 'pass', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'apikey', 'key',
    'changeme', 'changeit', 'example', 'sample', 'placeholder', 'redacted', 'masked', 'hidden', 'dummy',
    'fake', 'test', 'testing', 'none', 'null', 'nil', 'undefined', 'true', 'false', 'yes', 'no', 'on',
    'off', 'empty', 'blank', 'required', 'optional', 'string', 'str', 'text', 'value', 'default',
    'todo', 'tbd', 'foo', 'bar', 'baz', 'foobar', 'qwerty', 'letmein', 'admin', 'root', 'user',
    'username', 'guest', 'mypassword', 'yourpassword', 'mysecret', 'yoursecret', 'mytoken',
    'yourtoken', 'secretpassword', 'supersecret', 'topsecret', 'hunter2', 'abc123', 'password123',
    'password1', 'pass123', 'p4ssw0rd', 'passw0rd', 'secret123', '123456', '1234567', '12345678',
    '123456789', '1234567890', 'notasecret', 'notsecret', 'insecure', 'unsafe', 'xyz', 'abc',
  ].map((w) => w.toLowerCase()),
);

/**
 * True for values that only stand for a secret: template and variable references (`${X}`, `$X`,
 * `{{ x }}`, `<x>`, `%X%`, `$(x)`), masks (`***`, `xxxx`, `...`), well-known placeholder words
 * (`changeme`, `password`, `secret`, `example`, …), `your-…`/`my_…`-style names, and one character
 * repeated. These are never redacted.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (/\$\{|\{\{|\$\(|\{%|%\{|#\{|<%/.test(v)) return true;
  if (/^\$[A-Za-z_][A-Za-z0-9_]*$|^%[A-Za-z_][A-Za-z0-9_]*%$|^<[^<>]*>$|^\[[^[\]]*\]$|^\{[A-Za-z_ -]*\}$|^@[A-Za-z_]+@$/.test(v)) {
    return true;
  }
  if (/^(.)\1*$/.test(v) || /(.)\1{7,}/.test(v)) return true;
  if (/x{4,}|X{4,}|\*{3,}|\.{3,}|…|•{2,}|_{4,}|#{4,}|-{4,}/.test(v)) return true;
  const word = v.toLowerCase().replace(/[^a-z0-9]/g, '');
  if (PLACEHOLDER_WORDS.has(word)) return true;
  if (
    /^(?:your|my|some|enter|insert|replace|put|add|the|example|sample|dummy|fake|test|placeholder)[-_ .]?[a-z_ .-]*$/i.test(v) &&
    /pass|pwd|secret|token|key|cred|auth|here|value/i.test(v.slice(3))
  ) {
    return true;
  }
  if (/^(?:your|insert|enter|replace)[-_ ]/i.test(v)) return true;
  return false;
}

