import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { beforeEach, describe, expect, it } from 'vitest';
import { createRedactor, defaultBudgetMs, UNSCANNABLE } from './createRedactor.js';
import { ALNUM, BASE64, HEX, fakeJwt, fakePem, reseed, rnd, uuid } from './fakeTokens.testing.js';
import type { Scanner } from './types.js';

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

beforeEach(() => reseed(42));

describe('known values', () => {
  const token = 'ghs_' + 'Zk3pQ9vX2mL7tR4wY8nB1cD6fH0jK5sA2eG9';
  const ledgerKey = 'lk-2f8e6c1a9b7d4e3f';

  it('are redacted in every form, ahead of format rules', async () => {
    const redactor = createRedactor({ secrets: [token, ledgerKey] });
    const text = [
      `plain ${token} and ${ledgerKey}`,
      `query ?key=${encodeURIComponent(`${ledgerKey}/`)}`,
      `json {"k":${JSON.stringify(`"${ledgerKey}"`)}}`,
      `b64 ${b64(ledgerKey)}`,
      `basic Authorization: Basic ${b64(`any-user:${token}`)}`,
      `x-access ${b64(`x-access-token:${token}`)}`,
      `stream ${b64(`{"pad":"x","token":"${ledgerKey}","more":1}`)}`,
      `url https://x-access-token:${token}@github.com/o/r`,
    ].join('\n');
    const { text: out, counts, failed } = await redactor.redact(text);
    expect(failed).toBe(false);
    expect(out).not.toContain(token);
    expect(out).not.toContain(ledgerKey);
    expect(out).not.toContain(b64(ledgerKey).slice(0, 12));
    // The URL's user info is one longer url-credentials finding that covers the token.
    expect(counts['known-secret']).toBe(8);
    expect(counts['url-credentials']).toBe(1);
    expect(out).toContain('plain [REDACTED:known-secret] and [REDACTED:known-secret]');
    expect(out).toContain('Authorization: Basic [REDACTED:known-secret]');
  });

  it('shorter than 6 characters are ignored (they would redact ordinary text)', async () => {
    const { text } = await createRedactor({ secrets: ['main', 'abc'], scanners: [] }).redact('main abc domain');
    expect(text).toBe('main abc domain');
  });

  it('never survive redaction, whatever surrounds them (property)', async () => {
    const secretArb = fc
      .string({ unit: fc.constantFrom(...`${ALNUM}-_.~+/=:@!$%^&*`.split('')), minLength: 6, maxLength: 40 })
      .filter((s) => s.trim().length >= 6);
    await fc.assert(
      fc.asyncProperty(
        fc.array(secretArb, { minLength: 1, maxLength: 3 }),
        fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 30 }), fc.nat(2), fc.nat(3)), { maxLength: 6 }),
        async (secrets, pieces) => {
          const forms = (s: string) => [s, encodeURIComponent(s), JSON.stringify(s).slice(1, -1), b64(s)];
          const text = pieces.map(([noise, which, form]) => noise + forms(secrets[which % secrets.length]!)[form]!).join('');
          const { text: out, failed } = await createRedactor({ secrets, scanners: [] }).redact(text);
          expect(failed).toBe(false);
          for (const secret of secrets) expect(out).not.toContain(secret.trim());
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('formats', () => {
  it('redacts each finding as [REDACTED:<rule>] and counts per rule, without values', async () => {
    const gh = `ghp_${rnd(36)}`;
    const pem = fakePem('OPENSSH PRIVATE KEY');
    const jwt = fakeJwt();
    const text = `token=${gh}\n${pem}\nAuthorization: Bearer ${jwt}\npassword: "${rnd(12)}9!"\npk_live_${rnd(24)}`;
    const { text: out, counts } = await createRedactor().redact(text);
    expect(out).toMatch(/^token=\[REDACTED:github-token\]\n\[REDACTED:private-key\]\nAuthorization: Bearer \[REDACTED:(?:jwt|authorization-header)\]\npassword: "\[REDACTED:password\]"\npk_live_/);
    expect(counts['github-token']).toBe(1);
    expect(counts['private-key']).toBe(1);
    expect(counts.password).toBe(1);
    expect(JSON.stringify(counts)).not.toContain(gh);
  });

  it('reports offsets in JavaScript string units after astral characters', async () => {
    const token = `npm_${rnd(36)}`;
    const text = `😀😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍👩‍👧 ${token} ✓`;
    const findings = await createRedactor().scan(text);
    expect(findings).toEqual([{ rule: 'npm-token', start: text.indexOf(token), end: text.indexOf(token) + token.length }]);
    expect((await createRedactor().redact(text)).text).toBe('😀😀 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 👩‍👩‍👧 [REDACTED:npm-token] ✓');
  });

  it('is idempotent: redacted text has nothing more to redact', async () => {
    const redactor = createRedactor({ secrets: ['ledger-secret-value'] });
    const text = [
      `ghp_${rnd(36)} AKIA${rnd(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')} xoxb-${rnd(12, '0123456789')}-${rnd(24)}`,
      `postgres://app:${rnd(16)}@db/app ledger-secret-value ${b64('u:ledger-secret-value')}`,
      fakePem('RSA PRIVATE KEY'),
      `api_key = "${rnd(32)}" password=${rnd(10)}!2 Authorization: token ${rnd(40, HEX)}`,
    ].join('\n');
    const once = await redactor.redact(text);
    expect(Object.keys(once.counts).length).toBeGreaterThan(5);
    const twice = await redactor.redact(once.text);
    expect(twice.counts).toEqual({});
    expect(twice.text).toBe(once.text);
  });

  it('leaves ordinary text alone', async () => {
    const text = [
      `commit 3f786850e387550fdab836ed7e6dc881de23001b (${uuid()})`,
      `"integrity": "sha512-${b64(rnd(64))}"`,
      'token: ${{ secrets.GITHUB_TOKEN }}',
      'password=${PASSWORD}',
      'password: <your-password>',
      'password=changeme',
      `pk_live_${rnd(24)} and pk_test_${rnd(24)}`,
      'PASS: test/redact.test.ts (12 tests)',
      `data:image/png;base64,${rnd(400, BASE64)}`,
      'See https://docs.github.com/en/actions/security-guides/using-secrets-in-github-actions.',
      'const token = core.getInput("github-token");',
    ].join('\n');
    expect(await createRedactor().scan(text)).toEqual([]);
  });

  it('merges overlapping findings: the longest names the span, ties go to known values', async () => {
    const token = `ghp_${rnd(36)}`;
    expect(await createRedactor({ secrets: [token] }).scan(`x ${token} y`)).toEqual([{ rule: 'known-secret', start: 2, end: 2 + token.length }]);
    const outer: Scanner = () => [{ rule: 'outer', start: 0, end: 10 }];
    const inner: Scanner = () => [{ rule: 'inner', start: 2, end: 5 }, { rule: 'late', start: 8, end: 14 }];
    expect(await createRedactor({ scanners: [inner, outer] }).scan('0123456789abcdef')).toEqual([{ rule: 'outer', start: 0, end: 14 }]);
  });
});

describe('fails closed', () => {
  const secretText = `token ghp_${'aB3dE5gH7jK9mN1pQ3sT5vX7zA9cE1gI3kM5'}`;
  const closed = { text: UNSCANNABLE, counts: {}, failed: true };

  it('when a scanner throws', async () => {
    const boom: Scanner = () => {
      throw new Error('boom');
    };
    expect(await createRedactor({ scanners: [boom] }).redact(secretText)).toEqual(closed);
    await expect(createRedactor({ scanners: [boom] }).scan(secretText)).rejects.toThrow('boom');
  });

  it('when a scanner rejects', async () => {
    const reject: Scanner = async () => Promise.reject(new Error('nope'));
    expect(await createRedactor({ scanners: [reject] }).redact(secretText)).toEqual(closed);
  });

  it('when a scanner never answers within the budget', async () => {
    const hang: Scanner = () => new Promise(() => undefined);
    const started = performance.now();
    expect(await createRedactor({ scanners: [hang], budgetMs: 50 }).redact(secretText)).toEqual(closed);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('when a scanner runs over the budget', async () => {
    const slow: Scanner = () => {
      const until = performance.now() + 30;
      while (performance.now() < until) {
        // busy
      }
      return [];
    };
    expect(await createRedactor({ scanners: [slow], budgetMs: 10 }).redact(secretText)).toEqual(closed);
  });

  it('when the real engine runs out of budget', async () => {
    const big = `key: value\n${'password = x\n'.repeat(50_000)}`;
    expect(await createRedactor({ budgetMs: 0.001 }).redact(big)).toEqual(closed);
  });

  it('when a scanner returns a finding outside the text', async () => {
    const wild: Scanner = () => [{ rule: 'x', start: 0, end: 10_000 }];
    expect(await createRedactor({ scanners: [wild] }).redact('short')).toEqual(closed);
  });

  it('empty text is returned as is', async () => {
    expect(await createRedactor({ scanners: [() => Promise.reject(new Error('unused'))] }).redact('')).toEqual({ text: '', counts: {}, failed: false });
  });
});

describe('defaultBudgetMs', () => {
  it('is 2 s plus 1 ms per KiB', () => {
    expect(defaultBudgetMs('')).toBe(2000);
    expect(defaultBudgetMs('x'.repeat(1024 * 1024))).toBe(2000 + 1024);
  });
});
