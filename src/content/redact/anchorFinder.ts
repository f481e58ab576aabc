/**
 * Where any of many literal anchors begins in a text. Two ways, chosen by measurement (10 MB of
 * finding text, `scripts/bench-redact.ts` and `bench-plan.ts`):
 *
 * - {@link automatonFinder}, for our 220-odd case-sensitive anchors: an Aho–Corasick automaton
 *   compiled to one transition table and run over the text once (about 2 ns per character). One
 *   regular expression alternating all of them, which we used before, costs about 7 ns: V8 tries the
 *   alternatives one by one at almost every position. npm's Aho–Corasick packages did not fit: the
 *   maintained one matches whole graphemes (an anchor followed by a combining mark would be missed),
 *   the others keep their tables in objects keyed by character, slower than the regular expression.
 * - {@link regexFinder}, for the two dozen case-insensitive anchors: there the regular expression is
 *   faster than the automaton (V8 handles a short alternation well), and it compares case the way
 *   the `i` flag does.
 */
export interface AnchorFinder {
  /** Every position where an anchor begins, ascending, each once. */
  starts(text: string): number[];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

export function regexFinder(anchors: readonly string[], ignoreCase: boolean): AnchorFinder {
  const words = [...new Set(anchors)].filter((w) => w.length > 0);
  const finder = words.length > 0 ? new RegExp(words.map(escape).join('|'), ignoreCase ? 'gi' : 'g') : undefined;
  return {
    starts(text) {
      const out: number[] = [];
      if (!finder) return out;
      finder.lastIndex = 0;
      for (let hit = finder.exec(text); hit; hit = finder.exec(text)) {
        out.push(hit.index);
        finder.lastIndex = hit.index + 1; // anchors may overlap (`xoxe.xoxp-`)
      }
      return out;
    },
  };
}

/** Code units: every UTF-16 unit has a column class (those in no anchor share class 0). */
const UNITS = 0x10000;

export function automatonFinder(anchors: readonly string[]): AnchorFinder {
  const words = [...new Set(anchors)].filter((w) => w.length > 0);
  const classOf = new Uint16Array(UNITS);
  let classes = 1;
  for (const word of words) {
    for (let i = 0; i < word.length; i++) {
      const unit = word.charCodeAt(i);
      if (classOf[unit] === 0) classOf[unit] = classes++;
    }
  }

  // The trie: next[state * classes + class] is the child state, or -1.
  const maxStates = words.reduce((n, w) => n + w.length, 1);
  const next = new Int32Array(maxStates * classes).fill(-1);
  /** Lengths of the anchors that end in each state: its own, then those of its failure states. */
  const ending: number[][] = [[]];
  for (const word of words) {
    let state = 0;
    for (let i = 0; i < word.length; i++) {
      const cell = state * classes + classOf[word.charCodeAt(i)]!;
      if (next[cell] === -1) {
        next[cell] = ending.length;
        ending.push([]);
      }
      state = next[cell]!;
    }
    ending[state]!.push(word.length);
  }
  const states = ending.length;

  // Breadth first, each state's missing transitions become those of its failure state, so the scan
  // follows exactly one transition per character. The failure state of a depth-1 state is the root.
  // `table` holds the same transitions as row offsets (state × classes), negated for states where an
  // anchor ends (the root, offset 0, is never one), so the scan does one lookup per character. A
  // state's failure state is shallower, so its endings are complete by the time they are copied.
  const fail = new Int32Array(states);
  const queue = new Int32Array(states);
  const table = new Int32Array(states * classes);
  const ends = (state: number) => ending[state]!.length > 0;
  let head = 0;
  let tail = 0;
  for (let c = 0; c < classes; c++) {
    const child = next[c]!;
    if (child === -1) next[c] = 0;
    else queue[tail++] = child;
    const to = next[c]!;
    table[c] = ends(to) ? -to * classes : to * classes;
  }
  while (head < tail) {
    const state = queue[head++]!;
    for (let c = 0; c < classes; c++) {
      const cell = state * classes + c;
      const child = next[cell]!;
      const fallback = next[fail[state]! * classes + c]!;
      if (child === -1) next[cell] = fallback;
      else {
        fail[child] = fallback;
        if (ends(fallback)) ending[child] = [...ending[child]!, ...ending[fallback]!];
        queue[tail++] = child;
      }
      const to = next[cell]!;
      table[cell] = ends(to) ? -to * classes : to * classes;
    }
  }

  return {
    starts(text) {
      const found: number[] = [];
      let row = 0;
      for (let i = 0; i < text.length; i++) {
        row = table[row + classOf[text.charCodeAt(i)]!]!;
        if (row < 0) {
          row = -row;
          for (const length of ending[row / classes]!) found.push(i + 1 - length);
        }
      }
      if (found.length < 2) return found;
      // Ends come in order, starts not quite (a longer anchor that ends later can begin earlier).
      const sorted = Int32Array.from(found).sort();
      const out: number[] = [sorted[0]!];
      for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1]) out.push(sorted[i]!);
      return out;
    },
  };
}
