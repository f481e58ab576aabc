import { describe, expect, it } from 'vitest';
import { createRedactor } from './index.js';

describe('secretlint runs without its profiler', () => {
  it('redacting many texts leaves no performance marks behind (the buffer would grow without bound)', async () => {
    performance.clearMarks();
    const redactor = createRedactor({ secrets: [] });
    for (let i = 0; i < 50; i++) await redactor.redact(`line ${i}: token ghp_${'A'.repeat(36)} and password=hunter2hunter2`);
    expect(performance.getEntriesByType('mark')).toHaveLength(0);
    expect(performance.getEntriesByType('measure')).toHaveLength(0);
  });
});
