import { describe, expect, it } from 'vitest';
import { BLOCKER_CODES } from '../decide/blockers.js';
import { HINTS, hintOf } from './hints.js';

describe('blocker hints', () => {
  it('every code has one sentence of meaning and one of fix, and nothing else has a hint', () => {
    expect(Object.keys(HINTS).sort()).toEqual([...BLOCKER_CODES].sort());
    for (const code of BLOCKER_CODES) {
      const { means, fix } = hintOf(code);
      expect(means, code).toMatch(/^[A-Z`].*\.$/);
      expect(fix, code).toMatch(/^[A-Z`].*\.$/);
    }
  });
});
