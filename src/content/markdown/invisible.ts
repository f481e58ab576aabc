import { bump, type Counts } from './counts.js';

/**
 * Characters that render as nothing but can hide or reorder text: every format character (Cf: zero-width
 * space/joiners, word joiner, BOM, bidi embeddings, overrides, isolates and marks, soft hyphen, Arabic
 * letter mark, Mongolian vowel separator, invisible operators, interlinear annotations, tag characters),
 * the whole tag block (U+E0000–U+E007F, assigned or not), the combining grapheme joiner, the Hangul
 * fillers that render as blank names, and the supplementary variation selectors (U+E0100–U+E01EF),
 * which carry no meaning in GitHub text but can smuggle arbitrary bytes behind one visible character.
 */
// Listing variation selectors and combining joiners in a class is the point here.
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /[\p{Cf}\u{E0000}-\u{E007F}\u{E0100}-\u{E01EF}\u3164\uFFA0\u034F\u115F\u1160]/gu;
/** A run of BMP variation selectors keeps only its first one (emoji presentation needs one at most). */
const EXTRA_SELECTORS = /(?<=[\uFE00-\uFE0F])[\uFE00-\uFE0F]+/g;
/** C0 controls other than tab and line endings, DEL, and C1 controls. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

/** Removes invisible characters; counts every removed code point as `invisible`. */
export function removeInvisible(text: string, counts?: Counts): string {
  let removed = 0;
  const count = (m: string) => {
    removed += [...m].length;
    return '';
  };
  const out = text.replace(INVISIBLE, count).replace(EXTRA_SELECTORS, count);
  if (counts) bump(counts, 'invisible', removed);
  return out;
}

/** Removes control characters (line endings and tabs stay); counts them as `control`. */
export function removeControls(text: string, counts?: Counts): string {
  let removed = 0;
  const out = text.replace(CONTROL, () => {
    removed++;
    return '';
  });
  if (counts) bump(counts, 'control', removed);
  return out;
}

/** True when `text` holds anything `removeInvisible` or `removeControls` would remove. */
export function hasInvisible(text: string): boolean {
  INVISIBLE.lastIndex = 0;
  EXTRA_SELECTORS.lastIndex = 0;
  CONTROL.lastIndex = 0;
  return INVISIBLE.test(text) || EXTRA_SELECTORS.test(text) || CONTROL.test(text);
}
