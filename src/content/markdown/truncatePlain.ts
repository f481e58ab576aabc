import { graphemeFloor, prefixWithin } from './boundary.js';
import { fits, measure, type TextLimit } from './limits.js';

const ELLIPSIS = '…';
const ELLIPSIS_SIZE = measure(ELLIPSIS);

/**
 * Plain text within `limit`, cut on a grapheme boundary and ended with `…` when anything was cut.
 * A limit too small for the ellipsis gets the bare cut.
 */
export function truncatePlain(text: string, limit: TextLimit): string {
  const whole = text.toWellFormed();
  if (fits(whole, limit)) return whole;
  const room = { chars: limit.chars - ELLIPSIS_SIZE.chars, bytes: limit.bytes - ELLIPSIS_SIZE.bytes };
  if (room.chars < 0 || room.bytes < 0) return whole.slice(0, graphemeFloor(whole, prefixWithin(whole, limit)));
  return whole.slice(0, graphemeFloor(whole, prefixWithin(whole, room))).trimEnd() + ELLIPSIS;
}
