import { it } from 'vitest';
import { run, failed, input } from '../../test/fixtures.js';
it('print', () => {
  let p = run((s) => void (s.loaded.policy = failed('CONFIG_MISSING')));
  console.log(p.decision, p.mode, JSON.stringify(p.blockers.map(b=>[b.code,b.subject])));
  const i = input((s) => void (s.facts.origin = 'assumed'));
  console.log(JSON.stringify(i.facts).slice(0,100));
  p = run((s) => void (s.facts.origin = 'assumed'));
  console.log(p.decision, p.mode, JSON.stringify(p.blockers));
});
