/**
 * Folds the look-alikes GitHub users can type for `@`, `#`, `/`, `:` and ASCII letters and digits
 * (full-width and small forms) to ASCII, one UTF-16 unit for one, so offsets stay valid.
 */
export function foldWidth(text: string): string {
  if (!/[\uFE13\uFE55\uFE5F\uFE6B\uFF01-\uFF5E]/.test(text)) return text;
  return text.replace(/[\uFE13\uFE55\uFE5F\uFE6B\uFF01-\uFF5E]/g, (c) => {
    switch (c) {
      case '\uFE13':
      case '\uFE55':
        return ':';
      case '\uFE5F':
        return '#';
      case '\uFE6B':
        return '@';
      default:
        return String.fromCharCode(c.charCodeAt(0) - 0xfee0);
    }
  });
}

/** One code point folded by NFKC when that gives a single ASCII character; otherwise unchanged. */
export function foldChar(ch: string): string {
  if (ch.length === 1 && ch.charCodeAt(0) < 0x80) return ch;
  const n = ch.normalize('NFKC');
  return n.length === 1 && n.charCodeAt(0) < 0x80 ? n : ch;
}
