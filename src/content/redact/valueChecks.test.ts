import { describe, expect, it } from 'vitest';
import { characterClasses, isPlaceholder, shannonEntropy } from './valueChecks.js';

describe('isPlaceholder', () => {
  it.each([
    '${PASSWORD}', '$PASSWORD', '${{ secrets.TOKEN }}', '{{ .Values.password }}', '<your-password>', '%DB_PASSWORD%', '$(cat /run/secret)',
    '#{password}', '@password@', '[password]', '{password}', '********', 'xxxxxxxx', 'XXXX-XXXX', '...', '…', 'changeme', 'CHANGEME',
    'password', 'secret', 'example', 'placeholder', 'redacted', 'none', 'null', 'true', 'your-password-here', 'YOUR_API_KEY',
    'my_secret_token', 'enter-token', 'aaaaaaaa', 'token-000000000000', '',
  ])('%s', (value) => {
    expect(isPlaceholder(value)).toBe(true);
  });

  it.each(['hunter2x9!', 'Zq7-ledger-key-3f9a', 'm42ploz2wd', 'p@ssW0rd-2026', 'correct-horse-battery-staple', 'yourself42!'])('not %s', (value) => {
    expect(isPlaceholder(value)).toBe(false);
  });
});

describe('shannonEntropy and characterClasses', () => {
  it('measures bits per character', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(shannonEntropy('😀😀ab')).toBeCloseTo(1.5);
  });

  it('counts lower, upper, digits and others', () => {
    expect(characterClasses('abc')).toBe(1);
    expect(characterClasses('aB3')).toBe(3);
    expect(characterClasses('aB3-')).toBe(4);
  });
});
