import * as os from 'os';
import os__default, { EOL } from 'os';
import * as crypto from 'crypto';
import * as fs from 'fs';
import { promises, constants } from 'fs';
import 'path';
import { w as fits, x as measure, y as prefixWithin, z as truncatePlain, A as parseStructure, B as graphemeFloor, C as parseMarkdown, D as serializeMarkdown, U as UNSCANNABLE, l as logSafe, G as reviewKey, H as Limits, I as WRITE_ORDER, v as verifyLedger, o as Limits$1, r as readTextFile, k as LEDGER_LIMITS, q as envelopeFromText, J as isSarifName, t as evidenceFromText, K as lineHash, N as canonicalJson, O as appendRecords, M as MODES, W as WRITE_KINDS, Q as blocker, f as assumedFacts, g as decide, j as renderText, R as is, i as blockersOutput, h as planOutput, n as policyFromText, S as LedgerRun, s as safeParse, T as Facts, V as getDotPath, u as guardProcessOutput, d as createRedactor } from './chunks/render-BoKjX-_3.js';
import 'node:buffer';
import { join, dirname, resolve, posix, isAbsolute } from 'node:path';
import { timingSafeEqual, createHmac, createHash } from 'node:crypto';
import { createReadStream, mkdirSync, appendFileSync, writeFileSync, constants as constants$1, existsSync, statSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, readdir, copyFile, mkdir } from 'node:fs/promises';
import { pipeline as pipeline$1 } from 'node:stream/promises';
import { tmpdir } from 'node:os';
import 'process';
import 'buffer';
import 'node:perf_hooks';
import 'tty';
import 'util';

const HTML = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/**
 * Untrusted text for one Markdown table cell in GitHub's renderer: HTML escaped, Markdown openers
 * and pipes backslash-escaped, line breaks as `<br>`, and `@` broken so it can never mention anyone.
 */
function markdownCell(text) {
    return text.replace(/\r\n|\r|\n|[&<>"']|[\\`*_[\]()#!~|]|@/g, (c) => {
        if (c === '@')
            return '@\u200b';
        if (c.length > 1 || c === '\n' || c === '\r')
            return '<br>';
        return HTML[c] ?? `\\${c}`;
    });
}

/**
 * Cheap line scans that keep the Markdown parser's work bounded. micromark, the parser behind mdast,
 * re-walks the events of the whole document each time a block quote or list closes, so its time grows
 * with the square of the number of containers in one parse (and faster with nesting depth): 100 KB of
 * `> > a\n>\n` takes close to a minute. Agent text is hostile, so the sanitizer parses runs of top-level
 * blocks whose estimated cost is bounded, and renders blocks out of budget as inert code instead.
 */
/**
 * Fences and HTML blocks are only tracked when they start at column 0: an indented one may be inside a
 * list item (`- a\n\n  \`\`\`` closes the item's code, it opens nothing), and a wrong opening would
 * later take a real opener for its closing fence. The serializer writes top-level fences at column 0,
 * so on sanitized text the scan is exact; on raw text a top-level fence indented by 1–3 spaces can be
 * split, which only changes how that text is rendered, not what is allowed in it.
 * Lines are split on `\n` only: callers normalize `\r\n` and `\r` first.
 */
const FENCE_OPEN = /^(`{3,}|~{3,})([^\n]*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;
/** HTML blocks that run across blank lines (CommonMark types 1–5), with what ends each. */
const HTML_BLOCKS = [
    [/^<(?:script|pre|style|textarea)(?=[\s>]|$)/i, /<\/(?:script|pre|style|textarea)>/i],
    [/^<!--/, /-->/],
    [/^<\?/, /\?>/],
    [/^<![A-Za-z]/, />/],
    [/^<!\[CDATA\[/, /\]\]>/],
];
/**
 * Offsets at which `text` can be cut into pieces that each parse as they would inside the whole: 0, then
 * every line that starts a new top-level block after a blank line (a line at column 0 that is not white
 * space), outside fenced code and outside HTML blocks that span blank lines. Lists split between loose
 * items stay lists; joined back with a blank line between them, sanitized pieces parse as the sequence
 * of their blocks. When in doubt it does not cut: fewer pieces only cost time.
 */
function topLevelStarts(text) {
    const out = [0];
    let fence;
    let html;
    let blankBefore = false;
    for (let start = 0; start < text.length;) {
        const nl = text.indexOf('\n', start);
        const end = nl < 0 ? text.length : nl;
        const line = text.slice(start, end);
        const next = end + 1;
        if (fence) {
            const close = FENCE_CLOSE.exec(line);
            if (close && close[1][0] === fence.char && close[1].length >= fence.length)
                fence = undefined;
        }
        else if (html) {
            if (html.test(line))
                html = undefined;
        }
        else if (/^[ \t]*$/.test(line)) {
            blankBefore = true;
            start = next;
            continue;
        }
        else {
            if (blankBefore && /^\S/.test(line) && start > 0)
                out.push(start);
            const open = FENCE_OPEN.exec(line);
            if (open && !(open[1][0] === '`' && open[2].includes('`')))
                fence = { char: open[1][0], length: open[1].length };
            else {
                for (const [opener, closer] of HTML_BLOCKS) {
                    const m = opener.exec(line);
                    if (m) {
                        if (!closer.test(line.slice(m[0].length)))
                            html = closer;
                        break;
                    }
                }
            }
        }
        blankBefore = false;
        start = next;
    }
    return out;
}
/** Widest container prefix parsed (about 100 levels of nesting). */
const MAX_PREFIX = 256;
/** The leading run of block quote markers, list markers and white space of a line. */
const CONTAINER_PREFIX = /^[ \t]*(?:(?:>|[-*+](?=[ \t]|$)|\d{1,9}[.)](?=[ \t]|$))[ \t]*)*/;
/**
 * The parser's superlinear work comes from containers opening and closing (each close re-walks the
 * document's events), so the estimate counts container transitions, outside fenced code; a flat list or
 * one long quote has none after its first line and stays cheap.
 */
function parseShape(text) {
    let lines = 0;
    let transitions = 0;
    let previous = '';
    let fence;
    for (let start = 0; start <= text.length;) {
        const nl = text.indexOf('\n', start);
        const end = nl < 0 ? text.length : nl;
        const line = text.slice(start, end);
        lines++;
        if (fence) {
            const close = FENCE_CLOSE.exec(line);
            if (close && close[1][0] === fence.char && close[1].length >= fence.length)
                fence = undefined;
        }
        else {
            const open = FENCE_OPEN.exec(line);
            if (open && !(open[1][0] === '`' && open[2].includes('`')))
                fence = { char: open[1][0], length: open[1].length };
            const prefix = /^[ \t]*$/.test(line) ? '' : CONTAINER_PREFIX.exec(line)[0].trimEnd();
            // Deeper containers cost more to close: weigh a transition by the width of its prefix. Nesting
            // deeper than any document needs (over 100 levels) is not parsed at all: the parser's time, and
            // the serializer's stack, grow with it.
            if (prefix.length > MAX_PREFIX)
                return { transitions: Infinity, lines: Infinity };
            if (prefix !== previous)
                transitions += Math.max(1, prefix.length);
            previous = prefix;
        }
        if (nl < 0)
            break;
        start = nl + 1;
    }
    return { transitions, lines };
}
/** Estimated parse cost of `text`: container transitions times lines (units of roughly 50 ns). */
function parseCost(text) {
    const { transitions, lines } = parseShape(text);
    return transitions * lines;
}
/** Pieces are parsed together while their joint estimate stays under this (a few ms at worst). */
const GROUP_COST = 50_000;
/** A single piece estimated above this (about a quarter of a second) is not parsed. */
const PIECE_COST = 4_000_000;
/** What all pieces above `GROUP_COST` may cost together in one pass (about half a second). */
const OVERSIZE_BUDGET = 8_000_000;
/**
 * `text` as runs of top-level pieces: each run parses in bounded time, and the parser is called as few
 * times as that allows (each call has a fixed cost of about 0.1 ms). Pieces beyond the budgets come
 * back with `parse: false`.
 */
function groupPieces(text) {
    const starts = topLevelStarts(text);
    const out = [];
    let oversize = OVERSIZE_BUDGET;
    let from = 0;
    let shape = { transitions: 0, lines: 0 };
    const flush = (to) => {
        if (to > from)
            out.push({ text: text.slice(from, to), parse: true });
        from = to;
        shape = { transitions: 0, lines: 0 };
    };
    for (let i = 0; i < starts.length; i++) {
        const start = starts[i];
        const end = starts[i + 1] ?? text.length;
        const piece = parseShape(text.slice(start, end));
        const alone = piece.transitions * piece.lines;
        if (alone > GROUP_COST) {
            flush(start);
            const parse = alone <= PIECE_COST && alone <= oversize;
            if (parse)
                oversize -= alone;
            out.push({ text: text.slice(start, end), parse });
            from = end;
            continue;
        }
        if ((shape.transitions + piece.transitions) * (shape.lines + piece.lines) > GROUP_COST)
            flush(start);
        shape = { transitions: shape.transitions + piece.transitions, lines: shape.lines + piece.lines };
    }
    flush(text.length);
    return out;
}

function bump(counts, kind, n = 1) {
    if (n > 0)
        counts[kind] = (counts[kind] ?? 0) + n;
}
function addCounts(into, from) {
    for (const [kind, n] of Object.entries(from))
        bump(into, kind, n);
}

/**
 * An HTML comment as browsers end it: `<!-->` and `<!--->` are empty comments, `--!>` also closes one,
 * and an unterminated comment runs to the end of the text.
 */
const COMMENT = /<!--(?:>|->|[\s\S]*?(?:--!?>|$))/g;
/**
 * Removes HTML comments (terminated or not), repeating until none is left, since removing one can
 * join the halves of another (`<!<!-- -->--`). Counts each removal as `html-comment`.
 */
function removeHtmlComments(text, counts) {
    if (!text.includes('<!--'))
        return text;
    let out = text;
    let removed = 0;
    while (out.includes('<!--')) {
        out = out.replace(COMMENT, () => {
            removed++;
            return '';
        });
    }
    if (counts)
        bump(counts, 'html-comment', removed);
    return out;
}

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
function removeInvisible(text, counts) {
    let removed = 0;
    const count = (m) => {
        removed += [...m].length;
        return '';
    };
    const out = text.replace(INVISIBLE, count).replace(EXTRA_SELECTORS, count);
    if (counts)
        bump(counts, 'invisible', removed);
    return out;
}
/** Removes control characters (line endings and tabs stay); counts them as `control`. */
function removeControls(text, counts) {
    let removed = 0;
    const out = text.replace(CONTROL, () => {
        removed++;
        return '';
    });
    if (counts)
        bump(counts, 'control', removed);
    return out;
}

/**
 * Folds the look-alikes GitHub users can type for `@`, `#`, `/`, `:` and ASCII letters and digits
 * (full-width and small forms) to ASCII, one UTF-16 unit for one, so offsets stay valid.
 */
function foldWidth(text) {
    if (!/[\uFE13\uFE55\uFE5F\uFE6B\uFF01-\uFF5E]/.test(text))
        return text;
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
function foldChar(ch) {
    if (ch.length === 1 && ch.charCodeAt(0) < 0x80)
        return ch;
    const n = ch.normalize('NFKC');
    return n.length === 1 && n.charCodeAt(0) < 0x80 ? n : ch;
}

/** `@` and the characters NFKC folds to it (full-width `＠`, small `﹫`). */
const AT = /[@\uFE6B\uFF20]/g;
const NAME_START = /[a-z0-9]/;
const NAME = /[a-z0-9-]/;
const TEAM = /[a-z0-9_-]/;
const WORD = /[A-Za-z0-9_]/;
/** Policy names (`octocat`, `@octocat`, `org/team`) as compared: NFKC, lower case, no leading `@`. */
function normalizeMentions(names) {
    return new Set(names.map((n) => n.normalize('NFKC').trim().replace(/^@/, '').toLowerCase()).filter(Boolean));
}
/**
 * Mentions GitHub would turn into notifications, or that look like one after NFKC folding: an `@` (or
 * a look-alike) not preceded by an ASCII letter, digit or `_` (so `a@b.com` is not one, but `é@b` and
 * `ａ@b` are, as GitHub's ASCII `\W` sees them), then a user
 * name, optionally `/team`. Names are folded per character (`＠ｏｃｔｏ` is `@octo`). Allowed names are
 * skipped; the rest are returned as ranges.
 */
function findMentions(text, allowed) {
    const out = [];
    AT.lastIndex = 0;
    for (let m = AT.exec(text); m; m = AT.exec(text)) {
        const at = m.index;
        const before = at > 0 ? precedingChar(text, at) : '';
        if (before && WORD.test(before))
            continue;
        let i = at + 1;
        let name = '';
        let end = -1;
        let team = false;
        while (i < text.length) {
            const cp = text.codePointAt(i);
            const raw = String.fromCodePoint(cp);
            // A character whose NFKC form starts with a name character counts as one (`㍬` is `20点`).
            const folded = cp < 0x80 ? raw : raw.normalize('NFKC');
            const ch = (/^[A-Za-z0-9]/.test(folded) ? folded : foldChar(raw)).toLowerCase();
            const first = ch[0] ?? '';
            const ok = name === '' || name.endsWith('/') ? NAME_START.test(first) : team ? TEAM.test(first) : NAME.test(first);
            if (ok) {
                name += ch;
                i += raw.length;
                end = i;
            }
            else if (ch === '/' && !team && name !== '') {
                name += '/';
                team = true;
                i += raw.length;
            }
            else
                break;
        }
        if (end < 0)
            continue;
        if (name.endsWith('/'))
            name = name.slice(0, -1);
        if (allowed.has(name))
            continue;
        out.push({ start: at, end, kind: 'mention' });
        AT.lastIndex = end;
    }
    return out;
}
function precedingChar(text, at) {
    const low = text.charCodeAt(at - 1);
    if ((low & 0xfc00) === 0xdc00 && at >= 2 && (text.charCodeAt(at - 2) & 0xfc00) === 0xd800)
        return text.slice(at - 2, at);
    return text.slice(at - 1, at);
}

const ANCHOR = /:\/\/|www\.|@|\b(?:mailto|xmpp):/gi;
const STOP = /[\s<>"'`]/;
const TRAILING = /[.,:;!?*_~'")\]}]+$/;
const SCHEME = /[A-Za-z0-9+.-]/;
const LOCAL = /[A-Za-z0-9._+-]/;
const DOMAIN = /^[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+/;
/**
 * Text a Markdown renderer could turn into a link by itself (GFM autolink literals, which GitHub and
 * micromark find even after backslash escapes): `scheme://…`, `www.…`, `mailto:`/`xmpp:` and e-mail
 * addresses. Found from anchors and grown outward, so the scan stays linear on hostile input.
 */
function findAutolinkText(text) {
    const folded = foldWidth(text);
    const out = [];
    let covered = 0;
    ANCHOR.lastIndex = 0;
    for (let m = ANCHOR.exec(folded); m; m = ANCHOR.exec(folded)) {
        const at = m.index;
        if (at < covered)
            continue;
        const token = m[0].toLowerCase();
        let start = at;
        if (token === '://') {
            while (start > covered && SCHEME.test(folded[start - 1]))
                start--;
            if (start === at)
                continue;
        }
        else if (token === 'www.') {
            if (at > 0 && /[A-Za-z0-9]/.test(folded[at - 1]))
                continue;
        }
        else if (token === '@') {
            while (start > covered && LOCAL.test(folded[start - 1]))
                start--;
            if (start === at || !DOMAIN.test(folded.slice(at + 1, at + 256)))
                continue;
        }
        let end = at + m[0].length;
        while (end < folded.length && !STOP.test(folded[end]))
            end++;
        const trail = TRAILING.exec(folded.slice(start, end));
        if (trail)
            end -= trail[0].length;
        if (end <= start)
            continue;
        out.push({ start, end, kind: 'autolink' });
        covered = end;
        ANCHOR.lastIndex = end;
    }
    return out;
}

/** GitHub's closing keywords, any case, each as a whole word. */
const KEYWORD = /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\b/gi;
/** After a keyword: optional colon, any white space (none at all is treated as a match too). */
const GAP = /\s*:?\s*/y;
/** Between references of a list: `#1, #2`, `#1 and #2`, `#1 & #2`. */
const SEPARATOR$1 = /(?:\s*[,&]\s*|\s+(?:and\s+)?)/iy;
const SHORT = /(?:#\d+|gh-\d+|[\w.-]+\/[\w.-]+#\d+)(?!\d)/iy;
/** How far a reference is looked for: keeps the scan linear on hostile runs like `fixes-fixes-fixes…`. */
const WINDOW = 512;
const URL_START = /(?:https?:\/\/|www\.)/iy;
const ISSUE_PATH = /\/(?:issues|pulls?)\/\d/gi;
function runAt(text, at, cache) {
    const cached = cache.run;
    if (cached && cached.start <= at && at < cached.end)
        return cached;
    let end = at;
    while (end < text.length && !/[\s<>`\uFFFC]/.test(text[end]))
        end++;
    let lastIssue = -1;
    ISSUE_PATH.lastIndex = at;
    for (let m = ISSUE_PATH.exec(text); m && m.index < end; m = ISSUE_PATH.exec(text))
        lastIssue = m.index;
    const run = { start: at, end, lastIssue };
    cache.run = run;
    return run;
}
/** An issue or PR URL at `at` (`https://…/issues/N`, `www.…/pull/N`): up to the end of its run, as GFM links it. */
function urlReference(text, at, cache) {
    URL_START.lastIndex = at;
    if (!URL_START.test(text))
        return -1;
    const run = runAt(text, at, cache);
    if (run.lastIssue < at)
        return -1;
    let end = run.end;
    while (end > at && /[.,:;!?*_~'")\]}]/.test(text[end - 1]))
        end--;
    return end;
}
function referenceAt(text, at, cache) {
    SHORT.lastIndex = 0;
    const m = SHORT.exec(text.slice(at, at + WINDOW));
    if (m)
        return at + m[0].length;
    return urlReference(text, at, cache);
}
/**
 * References GitHub would close when the text sits in a PR body or a commit message: `#N`, `GH-N`,
 * `owner/repo#N` and issue or PR URLs after `close(s|d)`, `fix(es|ed)` or `resolve(s|d)` (optionally
 * with a colon), and each further reference of a list that follows (`fixes #1, #2 and #3`). `text` is a
 * block's text flattened (non-text inline content as U+FFFC) and folded to ASCII look-alikes.
 */
function findClosingReferences(text) {
    const out = [];
    const cache = {};
    KEYWORD.lastIndex = 0;
    for (let m = KEYWORD.exec(text); m; m = KEYWORD.exec(text)) {
        GAP.lastIndex = m.index + m[0].length;
        GAP.exec(text);
        let at = GAP.lastIndex;
        for (;;) {
            const end = referenceAt(text, at, cache);
            if (end < 0)
                break;
            out.push({ start: at, end, kind: 'closing-keyword' });
            SEPARATOR$1.lastIndex = end;
            if (!SEPARATOR$1.exec(text)) {
                KEYWORD.lastIndex = end;
                break;
            }
            at = SEPARATOR$1.lastIndex;
            KEYWORD.lastIndex = end;
        }
    }
    return out;
}
/** True when `text` (flattened and folded) ends with a closing keyword and its gap: what follows is a target. */
function endsWithKeyword(text) {
    return /\b(?:close[sd]?|fix(?:e[sd])?|resolve[sd]?)\s*:?\s*$/i.test(text.slice(-40));
}

/** Which kind names a merged range: a closing reference before a mention before an autolink. */
const PRIORITY = { 'closing-keyword': 0, mention: 1, autolink: 2 };
const rank$1 = (kind) => PRIORITY[kind] ?? 3;
/** Sorts ranges and joins overlapping or touching ones; the joined range takes the highest-priority kind. */
function mergeRanges(ranges) {
    if (ranges.length < 2)
        return ranges;
    const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
    const out = [{ ...sorted[0] }];
    for (const r of sorted.slice(1)) {
        const last = out[out.length - 1];
        if (r.start <= last.end) {
            last.end = Math.max(last.end, r.end);
            if (rank$1(r.kind) < rank$1(last.kind))
                last.kind = r.kind;
        }
        else
            out.push({ ...r });
    }
    return out;
}

const BASE_HOST = 'publish-gate.invalid';
const BASE = `https://${BASE_HOST}/`;
/** Lower-case ASCII (IDNA) host names from the policy's `allowed-domains`; entries that do not parse are dropped. */
function normalizeDomains(domains) {
    const out = new Set();
    for (const raw of domains) {
        const entry = raw.trim().replace(/^\*\./, '');
        if (!entry)
            continue;
        try {
            const host = new URL(entry.includes('://') ? entry : `https://${entry}`).hostname.replace(/\.$/, '');
            if (host)
                out.add(host);
        }
        catch {
            // not a host name: allows nothing
        }
    }
    return [...out];
}
const ENTITY = /&(?:#x([0-9a-f]+)|#([0-9]+)|([a-z][a-z0-9]*));?/gi;
const NAMED = { colon: ':', sol: '/', bsol: '\\', tab: '\t', newline: '\n', amp: '&', num: '#', period: '.', commat: '@' };
/** Every decoding a browser or an intermediate sanitizer might apply, repeated until nothing changes. */
function squash(url) {
    let s = url;
    for (let round = 0; round < 5; round++) {
        const before = s;
        s = s
            .replace(/%([0-9a-f]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)))
            .replace(ENTITY, (m, hex, dec, name) => {
            const cp = hex ? parseInt(hex, 16) : dec ? parseInt(dec, 10) : undefined;
            if (cp !== undefined)
                return cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
            return NAMED[name.toLowerCase()] ?? m;
        });
        if (s === before)
            break;
    }
    // Browsers drop tabs and line breaks anywhere and C0 controls and spaces at the ends; drop all of them.
    return s.replace(/[\s\p{Cc}\p{Cf}]/gu, '').toLowerCase();
}
/** Judges one link, image or definition destination (as the Markdown parser decoded it). */
function checkUrl(url, domains) {
    const plain = squash(url);
    const scheme = /^([a-z][a-z0-9+.-]*):/.exec(plain);
    if (scheme && scheme[1] !== 'https')
        return 'scheme';
    // Backslashes are slashes to browsers but not to every parser: never guess which host they mean.
    if (plain.includes('\\'))
        return 'host';
    let parsed;
    try {
        parsed = new URL(url, BASE);
    }
    catch {
        return 'scheme';
    }
    if (parsed.protocol !== 'https:')
        return 'scheme';
    const absolute = scheme !== null || plain.startsWith('//');
    if (!absolute)
        return parsed.hostname === BASE_HOST && !parsed.username && !parsed.password ? 'relative' : 'host';
    if (parsed.username || parsed.password)
        return 'host';
    const host = parsed.hostname.replace(/\.$/, '');
    return domains.some((d) => host === d || host.endsWith(`.${d}`)) ? 'allowed' : 'host';
}
/** A URL that names an issue or pull request (`…/issues/N`, `…/pull/N`): a closing keyword can target it. */
function isIssueUrl(url) {
    return /\/(?:issues|pulls?)\/\d/i.test(squash(url));
}

/** Where block HTML sits among blocks (it becomes paragraphs there) rather than among inline content. */
const FLOW = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);
/** Blocks whose children are inline content: the unit in which keywords and references are read. */
const PHRASING = new Set(['paragraph', 'heading', 'tableCell']);
/** Inline wrappers that render nothing when empty (and would re-parse as literal delimiters). */
const DROP_EMPTY = new Set(['paragraph', 'emphasis', 'strong', 'delete']);
const passes = (v) => v === 'allowed' || v === 'relative';
/**
 * A destination as browsers send it: every character outside the URL-safe set percent-encoded (as
 * micromark's HTML output does), so no raw `<`, quote, space or `<!--` is ever written into a link.
 */
function normalizeUrl(url) {
    return url.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9!#$%&'()*+,\-./:;=?@_~]/gu, (c) => (c === '%' ? '%25' : encodeURIComponent(c)));
}
const rejected = (v, kind) => (v === 'scheme' ? 'scheme' : kind);
/**
 * Rewrites an mdast tree of agent Markdown in place so that GitHub renders nothing live from it:
 * HTML becomes text (comments dropped), links and images outside the policy become their text,
 * reference-style links become inline ones (definitions are dropped: agent text carries none, so it can
 * never carry a definition-form marker), titles are dropped, and mentions, closing-keyword references
 * and autolink-like text become inline code.
 */
function sanitizeTree(root, ctx) {
    const definitions = new Map();
    collectDefinitions(root, definitions, ctx);
    rebuild(root, definitions, ctx);
    forEachPhrasingBlock(root, (block) => {
        unwrapKeywordLinks(block, { tail: '' }, ctx);
        neutralizeText(block, ctx);
    });
    markAlerts(root);
}
const ALERT = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?=\n|$)/i;
/**
 * GitHub alerts (`> [!NOTE]` alone on a quote's first line) would be escaped by the serializer like any
 * bracket (`\[!NOTE]`) and stop rendering. The marker becomes an `alertMarker` node that `parse.ts` writes
 * bare: safe, since it ends its line (so it cannot open a link) and the output holds no definitions.
 */
function markAlerts(root) {
    const stack = [root];
    while (stack.length) {
        const n = stack.pop();
        if (!('children' in n))
            continue;
        const paragraph = n.type === 'blockquote' ? n.children[0] : undefined;
        const first = paragraph?.type === 'paragraph' ? paragraph.children[0] : undefined;
        const m = first?.type === 'text' ? ALERT.exec(first.value) : null;
        if (m && first?.type === 'text' && paragraph?.type === 'paragraph') {
            const rest = first.value.slice(m[0].length);
            const marker = { type: 'alertMarker', value: m[1].toUpperCase() };
            paragraph.children.splice(0, 1, marker, ...(rest ? [{ type: 'text', value: rest }] : []));
        }
        for (const c of n.children)
            stack.push(c);
    }
}
function collectDefinitions(node, into, ctx) {
    const stack = [node];
    while (stack.length) {
        const n = stack.pop();
        if (n.type === 'definition') {
            if (!into.has(n.identifier))
                into.set(n.identifier, { url: n.url, verdict: checkUrl(n.url, ctx.domains) });
        }
        else if ('children' in n)
            for (let i = n.children.length - 1; i >= 0; i--)
                stack.push(n.children[i]);
    }
}
function cleanText(value, ctx) {
    return removeHtmlComments(removeControls(removeInvisible(value, ctx.counts), ctx.counts), ctx.counts);
}
/** Block HTML as plain paragraphs: one per blank-line-separated chunk, lines trimmed. */
function htmlParagraphs(value) {
    const out = [];
    for (const chunk of value.split(/\n[ \t]*\n/)) {
        const text = chunk
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean)
            .join('\n');
        if (text)
            out.push({ type: 'paragraph', children: [{ type: 'text', value: text }] });
    }
    return out;
}
function imageAlt(image, ctx) {
    return image.alt ? cleanText(image.alt, ctx) : '';
}
function rebuild(parent, definitions, ctx) {
    const out = [];
    const flow = FLOW.has(parent.type);
    for (const child of parent.children) {
        switch (child.type) {
            case 'html': {
                const value = removeHtmlComments(child.value, ctx.counts);
                if (!value.trim())
                    break;
                bump(ctx.counts, 'raw-html');
                if (flow)
                    out.push(...htmlParagraphs(value));
                else
                    out.push({ type: 'text', value });
                break;
            }
            case 'definition':
                // Every reference is turned into an inline link or plain text below.
                break;
            case 'link': {
                rebuild(child, definitions, ctx);
                const verdict = checkUrl(child.url, ctx.domains);
                if (passes(verdict))
                    out.push({ type: 'link', url: normalizeUrl(child.url), title: null, children: child.children });
                else {
                    // A literal autolink (`www.x.com`, `a@b.com`, `<https://x>`) is counted once, as `autolink`,
                    // when its text is turned into inline code below.
                    if (!isLiteralAutolink(child))
                        bump(ctx.counts, rejected(verdict, 'link'));
                    out.push(...child.children);
                }
                break;
            }
            case 'linkReference': {
                rebuild(child, definitions, ctx);
                const def = definitions.get(child.identifier);
                if (def && passes(def.verdict))
                    out.push({ type: 'link', url: normalizeUrl(def.url), title: null, children: child.children });
                else {
                    bump(ctx.counts, def ? rejected(def.verdict, 'link') : 'link');
                    out.push(...child.children);
                }
                break;
            }
            case 'image':
            case 'imageReference': {
                const url = child.type === 'image' ? child.url : definitions.get(child.identifier)?.url;
                const verdict = url === undefined ? 'host' : child.type === 'image' ? checkUrl(url, ctx.domains) : definitions.get(child.identifier).verdict;
                const alt = imageAlt(child, ctx);
                if (url !== undefined && passes(verdict))
                    out.push({ type: 'image', url: normalizeUrl(url), title: null, alt });
                else {
                    bump(ctx.counts, rejected(verdict, 'image'));
                    if (alt)
                        out.push({ type: 'text', value: alt });
                }
                break;
            }
            case 'inlineCode':
            case 'code':
                child.value = removeInvisible(child.value, ctx.counts);
                if (child.type === 'code') {
                    if (child.lang)
                        child.lang = cleanText(child.lang, ctx) || null;
                    if (child.meta)
                        child.meta = cleanText(child.meta, ctx) || null;
                }
                out.push(child);
                break;
            case 'text':
                out.push(child);
                break;
            default:
                if ('children' in child) {
                    rebuild(child, definitions, ctx);
                    if (child.children.length === 0 && DROP_EMPTY.has(child.type))
                        break;
                }
                out.push(child);
        }
    }
    parent.children = cleanTexts(mergeTexts(out), ctx);
}
function plainText(node) {
    if (node.type === 'text' || node.type === 'inlineCode')
        return node.value;
    return 'children' in node ? node.children.map(plainText).join('') : '';
}
/** A link whose text is its own destination, as GFM autolink literals and `<…>` autolinks are. */
function isLiteralAutolink(link) {
    const text = plainText({ type: 'paragraph', children: link.children });
    return link.url === text || link.url === `mailto:${text}` || link.url === `http://${text}` || link.url === `xmpp:${text}`;
}
function mergeTexts(nodes) {
    const out = [];
    for (const n of nodes) {
        const last = out[out.length - 1];
        if (n.type === 'text' && last?.type === 'text')
            out[out.length - 1] = { type: 'text', value: last.value + n.value };
        else
            out.push(n);
    }
    return out;
}
function cleanTexts(nodes, ctx) {
    const out = [];
    for (const n of nodes) {
        if (n.type !== 'text')
            out.push(n);
        else {
            const value = cleanText(n.value, ctx);
            if (value)
                out.push(value === n.value ? n : { type: 'text', value });
        }
    }
    return out;
}
function forEachPhrasingBlock(root, visit) {
    const stack = [root];
    while (stack.length) {
        const n = stack.pop();
        if (PHRASING.has(n.type))
            visit(n);
        else if ('children' in n)
            for (let i = n.children.length - 1; i >= 0; i--)
                stack.push(n.children[i]);
    }
}
/**
 * A link to an issue or PR right after a closing keyword (`fixes [#1](…/issues/1)`, `fixes
 * https://github.com/o/r/issues/1`) is unwrapped to its text, which the next step then reads as a reference.
 */
function unwrapKeywordLinks(parent, state, ctx) {
    let changed = false;
    const out = [];
    const read = (s) => {
        state.tail = (state.tail + s).slice(-64);
    };
    for (const child of parent.children) {
        if (child.type === 'text') {
            read(child.value);
            out.push(child);
        }
        else if (child.type === 'link' && isIssueUrl(child.url) && endsWithKeyword(foldWidth(state.tail))) {
            // Counted here unless its text is itself a reference, which the next step counts.
            if (findClosingReferences(`fixes ${foldWidth(plainText(child))}`).length === 0)
                bump(ctx.counts, 'closing-keyword');
            unwrapKeywordLinks(child, state, ctx);
            out.push(...child.children);
            changed = true;
        }
        else if ('children' in child) {
            unwrapKeywordLinks(child, state, ctx);
            out.push(child);
        }
        else {
            read(separator(child));
            out.push(child);
        }
    }
    if (changed)
        parent.children = mergeTexts(out);
}
/**
 * What a non-text inline node stands for when a block's text is read for keywords: a line break is
 * white space, a footnote reference nothing (aggressively: `fixes [^1]: #1` is read as `fixes : #1`),
 * anything else (inline code, images) a character that ends a reference.
 */
function separator(node) {
    if (node.type === 'break')
        return '\n';
    if (node.type === 'footnoteReference')
        return '';
    return '\uFFFC';
}
/** Mentions, closing-keyword references and autolink-like text in the block's text nodes → inline code. */
function neutralizeText(block, ctx) {
    const segments = [];
    let flat = '';
    const walk = (parent, inLink) => {
        for (const child of parent.children) {
            if (child.type === 'text') {
                segments.push({ node: child, parent, start: flat.length, inLink });
                flat += child.value;
            }
            else if ('children' in child)
                walk(child, inLink || child.type === 'link');
            else
                flat += separator(child);
        }
    };
    walk(block, false);
    if (segments.length === 0)
        return;
    const keywordRanges = findClosingReferences(foldWidth(flat));
    const replacements = new Map();
    let k = 0;
    for (const seg of segments) {
        const value = seg.node.value;
        const end = seg.start + value.length;
        const ranges = [];
        while (k < keywordRanges.length && keywordRanges[k].end <= seg.start)
            k++;
        for (let j = k; j < keywordRanges.length && keywordRanges[j].start < end; j++) {
            const r = keywordRanges[j];
            ranges.push({ start: Math.max(r.start, seg.start) - seg.start, end: Math.min(r.end, end) - seg.start, kind: r.kind });
        }
        ranges.push(...findMentions(value, ctx.mentions));
        if (!seg.inLink)
            ranges.push(...findAutolinkText(value));
        if (ranges.length === 0)
            continue;
        const merged = mergeRanges(ranges);
        for (const r of merged)
            bump(ctx.counts, r.kind);
        let forParent = replacements.get(seg.parent);
        if (!forParent)
            replacements.set(seg.parent, (forParent = new Map()));
        forParent.set(seg.node, split$1(value, merged));
    }
    for (const [parent, map] of replacements) {
        parent.children = parent.children.flatMap((c) => (c.type === 'text' && map.get(c)) || [c]);
    }
}
function split$1(value, ranges) {
    const out = [];
    let at = 0;
    for (const r of ranges) {
        if (r.start > at)
            out.push({ type: 'text', value: value.slice(at, r.start) });
        out.push({ type: 'inlineCode', value: value.slice(r.start, r.end) });
        at = r.end;
    }
    if (at < value.length)
        out.push({ type: 'text', value: value.slice(at) });
    return out;
}

/** Appended when text is cut; `{omitted}` becomes the number of characters (code points) left out. */
const TRUNCATION_NOTE = '\n\n…(truncated by Publish Gate: {omitted} characters omitted)';
/** Containers the cut may go into; anything else not listed under `cutInside` is kept or dropped whole. */
const CONTAINERS = new Set([
    'root',
    'blockquote',
    'list',
    'listItem',
    'footnoteDefinition',
    'table',
    'paragraph',
    'heading',
    'tableCell',
    'emphasis',
    'strong',
    'delete',
]);
const start = (n) => n.position?.start.offset ?? 0;
const end = (n) => n.position?.end.offset ?? 0;
/**
 * The Markdown within `limit` (characters and UTF-8 bytes, note included), cut where the structure
 * allows so that what is kept renders as a prefix of the original and nothing new becomes live:
 * between blocks, list items or table rows, between inline nodes, at white space inside text (a word
 * is only split when it is huge, never inside a mention), on a line boundary inside a code block whose
 * fence is then closed with a fence of the same kind and length. Inline code, links, images and HTML are
 * kept or dropped whole. Text already within the limit comes back unchanged.
 */
function truncateMarkdown(text, limit, note = TRUNCATION_NOTE) {
    if (fits(text, limit) && text.isWellFormed())
        return text;
    // Line endings as the block scan expects them (a bare CR ends a line in Markdown, too).
    const whole = text.toWellFormed().replace(/\r\n?/g, '\n');
    if (fits(whole, limit))
        return whole;
    const total = measure(whole).chars;
    const noteFor = (omitted) => note.replaceAll('{omitted}', omitted.toLocaleString('en-US'));
    const reserve = measure(noteFor(total));
    const budget = { chars: limit.chars - reserve.chars, bytes: limit.bytes - reserve.bytes };
    if (budget.chars > 0 && budget.bytes > 0) {
        const starts = topLevelStarts(whole);
        for (let attempt = 0; attempt < 8; attempt++) {
            const cut = findCut(whole, starts, prefixWithin(whole, budget));
            const kept = whole.slice(0, cut.offset).trimEnd();
            const tail = noteFor(total - measure(kept).chars);
            const out = kept ? kept + cut.closer + tail : tail.trimStart();
            const size = measure(out);
            if (size.chars <= limit.chars && size.bytes <= limit.bytes)
                return out;
            // Only a long closing fence can overflow: cut earlier by the excess.
            budget.chars -= Math.max(1, size.chars - limit.chars);
            budget.bytes -= Math.max(1, size.bytes - limit.bytes);
            if (budget.chars <= 0 || budget.bytes <= 0)
                break;
        }
    }
    return truncatePlain(noteFor(total).trim(), limit);
}
/**
 * The cut for keeping at most `text.slice(0, at)`. Only the top-level piece (see `blocks.ts`) that holds
 * `at` is parsed, so the cost does not depend on the length of the text; a piece too costly to parse is
 * dropped whole.
 */
function findCut(text, starts, at) {
    let k = 0;
    while (k + 1 < starts.length && starts[k + 1] <= at)
        k++;
    const from = starts[k];
    const before = { offset: from, closer: '' };
    if (from === at)
        return before;
    const piece = text.slice(from, starts[k + 1] ?? text.length);
    if (parseCost(piece) > PIECE_COST)
        return before;
    const cut = cutIn(parseStructure(piece), piece, at - from);
    return cut ? { offset: from + cut.offset, closer: cut.closer } : before;
}
/** A cut inside `parent` at or before `at`, or `undefined` to cut before `parent` altogether. */
function cutIn(parent, text, at) {
    const kids = parent.children ?? [];
    for (let i = 0; i < kids.length; i++) {
        const child = kids[i];
        if (end(child) <= at)
            continue;
        // The first child that does not fit. Cutting before it needs a sibling before it, or the container
        // would be left open and empty (`- `) or turn into something else (`para\n-` is a heading).
        const before = i > 0 ? { offset: start(child), closer: '' } : undefined;
        if (start(child) >= at)
            return before;
        return cutInside(child, text, at) ?? before;
    }
    return { offset: Math.min(at, end(parent)), closer: '' };
}
function cutInside(node, text, at) {
    if (node.type === 'text')
        return cutText(node, text, at);
    if (node.type === 'code')
        return cutCode(node, text, at);
    if (CONTAINERS.has(node.type))
        return cutIn(node, text, at);
    return undefined;
}
/**
 * A last line that a cut inside text can turn into something it was not: a setext underline (which makes
 * the paragraph above a heading), a rule, an empty list item or heading, a code fence opener (`\`\`\`x`
 * was text while a backtick followed it), an HTML block, or a link reference definition.
 */
function dangling(line) {
    const rest = line.replace(/^(?:[\t >]|[-*+](?=[\t ]|$)|\d{1,9}[.)](?=[\t ]|$))*/, '');
    return /^[-=*_+#\s]*$|^\d{1,9}[.)]$/.test(rest) || /^(?:`{3,}|~{3,}|<|\[[^\]]*\]:)/.test(rest);
}
/** What may precede a mention or e-mail name when a word has to be split: cut before all of it. */
const NAME_CHAR = /[A-Za-z0-9._%+/-]/;
const AT_LIKE = /[@\uFE6B\uFF20]/;
function cutText(node, text, at) {
    const from = start(node);
    const region = text.slice(from, at);
    const space = Math.max(region.lastIndexOf(' '), region.lastIndexOf('\n'), region.lastIndexOf('\t'));
    let offset;
    if (space > 0)
        offset = from + space;
    else if (region.length > 256)
        offset = splitWord(text, from, at);
    else
        return undefined;
    // Never leave a last line that changes what the lines above it are.
    for (;;) {
        const kept = text.slice(from, offset).trimEnd();
        const lastLine = kept.slice(kept.lastIndexOf('\n') + 1);
        if (!dangling(lastLine) || kept.length === 0)
            break;
        const nl = kept.lastIndexOf('\n');
        if (nl < 0)
            return undefined;
        offset = from + nl;
    }
    return offset > from ? { offset, closer: '' } : undefined;
}
/** Inside a huge word: on a grapheme boundary, and before any `@name` or e-mail that would be cut short. */
function splitWord(text, from, at) {
    const offset = graphemeFloor(text, at);
    let i = offset;
    while (i > from && offset - i < 128 && NAME_CHAR.test(text[i - 1]))
        i--;
    if (i > from && AT_LIKE.test(text[i - 1])) {
        i--;
        while (i > from && offset - i < 256 && NAME_CHAR.test(text[i - 1]))
            i--;
        return i;
    }
    return offset;
}
const FENCE = /^(`{3,}|~{3,})/;
function cutCode(node, text, at) {
    const from = start(node);
    const fence = FENCE.exec(text.slice(from, from + 1024));
    const lastBreak = text.lastIndexOf('\n', at - 1);
    if (!fence)
        return lastBreak > from ? { offset: lastBreak, closer: '' } : undefined;
    const firstBreak = text.indexOf('\n', from);
    if (firstBreak < 0 || lastBreak <= firstBreak)
        return undefined;
    // The closing fence goes inside the same containers as the opening one: the opening line's prefix
    // with list markers blanked out (`> - ` → `>   `).
    const lineStart = text.lastIndexOf('\n', from - 1) + 1;
    const prefix = text.slice(lineStart, from).replace(/[^>\t ]/g, ' ');
    return { offset: lastBreak, closer: `\n${prefix}${fence[1]}` };
}

/** Passes after the first until the output re-parses to itself; in practice one confirms it. */
const MAX_ROUNDS = 3;
/**
 * Input beyond this many UTF-16 units is not sanitized but cut (on a line break) with a visible note:
 * every output is truncated to at most 65,536 characters anyway, and the envelope bounds bodies to 256 KiB.
 */
const MAX_INPUT = 256 * 1024;
function prepare(text, counts) {
    const wellFormed = text.toWellFormed().replace(/\r\n?/g, '\n');
    return removeControls(removeInvisible(wellFormed, counts), counts);
}
/** Text as one fenced code block: inert on every GitHub surface, and stable under `sanitizeMarkdown`. */
function inert(text) {
    const value = removeHtmlComments(text).replace(/^\n+|\n+$/g, '');
    return value ? serializeMarkdown({ type: 'root', children: [{ type: 'code', value }] }) : '';
}
/**
 * One pass. The text is parsed in runs of top-level blocks that each parse in bounded time (see
 * `blocks.ts`); blocks too costly to parse become inert code blocks, counted as `fallback`. A reference
 * whose definition falls in another run is left as text.
 */
function once(text, ctx, counts) {
    const out = [];
    for (const group of groupPieces(prepare(text, counts))) {
        let md;
        if (!group.parse) {
            bump(counts, 'fallback');
            md = inert(group.text);
        }
        else {
            const tree = parseMarkdown(group.text);
            sanitizeTree(tree, { ...ctx, counts });
            md = serializeMarkdown(tree);
        }
        if (md)
            out.push(md);
    }
    return out.join('\n');
}
/** Input within `MAX_INPUT`, cut on a line break, and the note that says so (empty when nothing was cut). */
function bound(text, counts) {
    if (text.length <= MAX_INPUT)
        return { text, note: '' };
    let end = text.lastIndexOf('\n', MAX_INPUT);
    if (end < MAX_INPUT / 2)
        end = MAX_INPUT - ((text.charCodeAt(MAX_INPUT - 1) & 0xfc00) === 0xd800 ? 1 : 0);
    const omitted = measure(text.slice(end)).chars;
    bump(counts, 'truncated', omitted);
    return { text: text.slice(0, end), note: TRUNCATION_NOTE.replaceAll('{omitted}', omitted.toLocaleString('en-US')).replace(/^\n+/, '') };
}
/**
 * Agent Markdown → Markdown that GitHub renders without anything live the policy does not allow (SPEC
 * §11): no HTML (comments removed, other HTML shown as text), no mentions outside `allowedMentions`, no
 * closing keywords that would close issues, no invisible or bidi characters, no links or images outside
 * `allowedDomains` or with a scheme other than `https:` (relative links stay: they resolve on GitHub).
 * The result re-parses to itself (`sanitizeMarkdown(x.text).text === x.text`, for results within
 * `MAX_INPUT`): each pass is checked by another, and text that does not settle comes back as one inert
 * code block, as do blocks too costly to parse (pathological nesting); both count as `fallback`. Time is
 * linear in the input (bounded by `MAX_INPUT`). Never throws.
 */
function sanitizeMarkdown(text, policy) {
    const ctx = { domains: normalizeDomains(policy.allowedDomains), mentions: normalizeMentions(policy.allowedMentions) };
    const counts = {};
    const input = bound(text, counts);
    const withNote = (md) => (input.note ? `${md}${md ? '\n' : ''}${input.note}\n` : md);
    try {
        let out = once(input.text, ctx, counts);
        // Already a fixed point (sanitized text given again): no need to confirm it.
        if (out === input.text)
            return { text: withNote(out), counts };
        for (let round = 0; round < MAX_ROUNDS; round++) {
            const more = {};
            const again = once(out, ctx, more);
            if (again === out)
                return { text: withNote(out), counts };
            addCounts(counts, more);
            out = again;
        }
    }
    catch {
        // Stack exhaustion on absurd nesting, or a bug: fall through to the inert form.
    }
    bump(counts, 'fallback');
    return { text: withNote(inert(prepare(input.text, {}))), counts };
}

/** Control characters, line and paragraph separators: each run becomes one space. */
const BREAKING = /[\p{Cc}\u2028\u2029]+/gu;
/**
 * A one-line plain field (titles, status descriptions, annotation titles): invisible and bidi
 * characters removed, every run of control characters or line breaks turned into one space, ends trimmed.
 */
function sanitizePlain(text) {
    return removeInvisible(text.toWellFormed()).replace(BREAKING, ' ').trim();
}

const HINTS = {
    MODE_OFF: { stage: 'mode', means: 'Publishing is switched off by the step input or the policy.', fix: 'Set `mode: dry-run` or `live` in the step, within the policy’s `mode`.' },
    CONFIG_MISSING: { stage: 'policy', means: 'The policy file was not found at the trusted ref.', fix: 'Commit `.github/publish-gate.yml` (or the `config` path) to the default branch or `config-ref`.' },
    CONFIG_INVALID: { stage: 'policy', means: 'The policy file or a step input could not be read as specified.', fix: 'Fix the file or input named in the subject; `publish-gate schema config` prints the schema.' },
    INPUT_WIDENS_POLICY: { stage: 'policy', means: 'A step input asks for more than the policy allows.', fix: 'Inputs may only narrow: lower the input, or widen the policy on the trusted ref.' },
    REPO_NOT_ALLOWED: { stage: 'policy', means: 'This repository is not listed in the policy’s `repositories`.', fix: 'Add the repository to `repositories` in the policy.' },
    BRANCH_NOT_ALLOWED: { stage: 'binding', means: 'The base or head branch (or the agent’s branch) is not allowed, protected, or not ours to update.', fix: 'Check `branches` and `writes.branch.prefix` in the policy; never point agent changes at a protected or someone else’s branch.' },
    TRIGGER_NOT_ALLOWED: { stage: 'policy', means: 'The event or actor of this run is not allowed by `triggers`.', fix: 'Run the publish job from an allowed event, or list the event or actor in `triggers`.' },
    REMOTE_MISMATCH: { stage: 'binding', means: 'GitHub reports another (or no) pull request for the head than the envelope names.', fix: 'Let the agent job record the PR GitHub reports for its head SHA; rerun the agent on the right PR.' },
    ENVELOPE_MISSING: { stage: 'documents', means: 'The envelope artifact (or file) was not found.', fix: 'Upload `envelope.json` (or one `*.sarif`) as the `envelope` artifact of the run `run-id` names.' },
    ENVELOPE_INVALID: { stage: 'documents', means: 'The envelope does not match `publish-gate/envelope@1`.', fix: 'Validate it with `publish-gate schema envelope`; the message lists the first issues.' },
    EVIDENCE_MISSING: { stage: 'documents', means: 'The evidence artifact (or file) was not found.', fix: 'Upload `evidence.json` as the `evidence` artifact of the run `run-id` names.' },
    EVIDENCE_INVALID: { stage: 'documents', means: 'The evidence does not match `publish-gate/evidence@1`.', fix: 'Validate it with `publish-gate schema evidence`.' },
    ARTIFACT_UNSAFE: { stage: 'documents', means: 'An artifact was refused: ambiguous, from another run, or an archive with unsafe entries.', fix: 'Upload exactly one artifact of the name per run, holding only the expected regular files.' },
    ARTIFACT_DIGEST_MISMATCH: { stage: 'documents', means: 'The downloaded artifact does not match the digest GitHub lists for it.', fix: 'Re-run the agent job to upload a fresh artifact; investigate if it repeats.' },
    TASK_NOT_SUCCEEDED: { stage: 'binding', means: 'The agent’s task did not succeed, so nothing of it is published.', fix: 'Fix the agent run; only `task.status: succeeded` can publish.' },
    EPOCH_MISMATCH: { stage: 'binding', means: 'The evidence was made for another repository, head SHA or epoch than the envelope.', fix: 'Produce the envelope and the evidence in the same agent run, for the same head and epoch.' },
    EPOCH_REPLAYED: { stage: 'binding', means: 'This epoch was published before, and a later epoch has been published since.', fix: 'Publish the latest epoch, not an older run’s artifacts.' },
    TARGET_STALE: { stage: 'binding', means: 'The PR’s head moved after the envelope was made.', fix: 'Re-run the agent on the new head.' },
    GATE_MISSING: { stage: 'gates', means: 'A gate the policy requires has no evidence.', fix: 'Run the gate and record it in `evidence.json`.' },
    GATE_NOT_PASS: { stage: 'gates', means: 'A required gate did not pass.', fix: 'Fix what the gate found, then re-run it.' },
    GATE_EXPIRED: { stage: 'gates', means: 'A gate passed longer ago than the policy’s `max-age`.', fix: 'Re-run the gate.' },
    CHECK_NOT_CONFIRMED: { stage: 'gates', means: 'No successful check run of the configured name on the head SHA confirms the gate.', fix: 'Let the named check run finish successfully on this head, or fix `confirm-check-runs`.' },
    APPROVAL_MISSING: { stage: 'approval', means: 'The run has no approval of the policy’s environment.', fix: 'Gate the publish job with `environment:` and have a required reviewer approve the run.' },
    APPROVAL_SELF: { stage: 'approval', means: 'The only approvals came from the actor, the PR author or a head committer.', fix: 'Have someone else from the environment’s reviewers approve.' },
    APPROVAL_ENV_UNSAFE: { stage: 'approval', means: 'The environment lets people approve their own runs or administrators bypass it (or its settings could not be read).', fix: 'Turn on “Prevent self-review” and turn off administrator bypass for the environment.' },
    INTENT_UNDECLARED: { stage: 'writes', means: 'The envelope carries content for a write kind its `intent` does not declare.', fix: 'Declare the kind in `intent`, or drop the content.' },
    WRITE_KIND_DENIED: { stage: 'writes', means: 'The policy or the step’s `deny` input denies this write kind.', fix: 'Allow the kind under `writes` in the policy (and not in `deny`), if it should be written.' },
    FORBIDDEN_OPERATION: { stage: 'writes', means: 'The request would do something the action never does (or the firewall refused it).', fix: 'Nothing to configure: the action cannot merge, force-push, delete, close, approve or edit workflows.' },
    PATH_FORBIDDEN: { stage: 'writes', means: 'A change or finding touches a path the policy or the action refuses.', fix: 'Keep agent changes out of `deny-paths`, `.github/`, `CODEOWNERS` and the policy file.' },
    LABEL_NOT_ALLOWED: { stage: 'writes', means: 'The label is not in the policy’s `writes.labels`.', fix: 'List the label under `writes.labels`, or stop proposing it.' },
    LIMIT_EXCEEDED: { stage: 'writes', means: 'More writes, files or bytes than the policy or the action’s caps allow.', fix: 'Split the work, or raise `limits.max-writes` within the action’s caps.' },
    AUTH_FAILED: { stage: 'github', means: 'GitHub refused the token, or the workflow lacks a permission (the message names it).', fix: 'Grant the named permission in the job’s `permissions:`, or pass a valid `github-token`.' },
    API_TIMEOUT: { stage: 'github', means: 'A GitHub request timed out.', fix: 'Re-run; the ledger and markers make the re-run idempotent.' },
    API_FAILED: { stage: 'github', means: 'A GitHub request failed, or live facts could not be read.', fix: 'Re-run; if it repeats, the message says which request.' },
    RATE_LIMITED: { stage: 'github', means: 'GitHub’s rate limit was exhausted.', fix: 'Re-run later; the writes already done are not repeated.' },
    LEDGER_UNTRUSTED: { stage: 'ledger', means: 'The restored ledger did not verify; state was reconciled from GitHub instead (a warning).', fix: 'Set `ledger-key`; if it repeats, someone may have written the cache or the ledger artifact.' },
};

/** GitHub takes 1 MiB per step summary; the rendered Markdown keeps under this, leaving room for redaction. */
const SUMMARY_BUDGET = 1_000_000;
/** Rows a table shows at most, whatever the budget: past that, the outputs have the full lists. */
const MAX_TABLE_ROWS$1 = 500;
const MAX_WARNINGS = 50;
const STAGES = ['mode', 'policy', 'documents', 'binding', 'gates', 'approval', 'writes', 'github', 'ledger'];
const STAGE_LABEL = {
    mode: 'Mode',
    policy: 'Policy',
    documents: 'Documents',
    binding: 'Binding',
    gates: 'Gates',
    approval: 'Approval',
    writes: 'Writes',
    github: 'GitHub',
    ledger: 'Ledger',
};
const STATUS_ICON = { passed: '✅', failed: '❌', warned: '⚠️', skipped: '⏭️' };
const stageOf = (code) => (code in HINTS ? HINTS[code].stage : 'github');
/**
 * The state of each gate of the decision path: failed when a blocker (or a failed write) of that stage
 * exists, warned for a warning, skipped when the run never got there or it does not apply.
 */
function gatePath(plan, run = {}) {
    const failed = new Set(plan.blockers.map((b) => stageOf(b.code)));
    for (const w of run.writes ?? [])
        if (w.error || w.status === 'failed' || w.status === 'ambiguous')
            failed.add(w.error ? stageOf(w.error.code) : 'github');
    const warned = new Set(plan.warnings.map((b) => stageOf(b.code)));
    if (run.ledger && !run.ledger.persisted)
        warned.add('ledger');
    const skipped = new Set();
    if (plan.decision === 'off')
        for (const s of STAGES)
            if (s !== 'mode')
                skipped.add(s);
    if (run.approval?.required === false)
        skipped.add('approval');
    if (plan.entries.length === 0)
        skipped.add('writes');
    if (!run.writes || run.writes.length === 0)
        skipped.add('github');
    if (!run.ledger)
        skipped.add('ledger');
    return Object.fromEntries(STAGES.map((s) => [s, failed.has(s) ? 'failed' : skipped.has(s) ? 'skipped' : warned.has(s) ? 'warned' : 'passed']));
}
/** The flowchart: node ids, labels and classes are fixed text, never anything from the run's documents. */
function mermaid(path) {
    const lines = ['```mermaid', 'flowchart LR'];
    for (const s of STAGES)
        lines.push(`  ${s}["${STATUS_ICON[path[s]]} ${STAGE_LABEL[s]}"]`);
    lines.push(`  ${STAGES.join(' --> ')}`);
    lines.push('  classDef passed fill:#dafbe1,stroke:#1a7f37,color:#1f2328', '  classDef failed fill:#ffebe9,stroke:#cf222e,color:#1f2328,stroke-width:2px', '  classDef warned fill:#fff8c5,stroke:#9a6700,color:#1f2328', '  classDef skipped fill:#f6f8fa,stroke:#8c959f,color:#59636e,stroke-dasharray:4 3');
    for (const status of ['passed', 'failed', 'warned', 'skipped']) {
        const ids = STAGES.filter((s) => path[s] === status);
        if (ids.length)
            lines.push(`  class ${ids.join(',')} ${status}`);
    }
    lines.push('```');
    return lines;
}
/** At most `max` characters (code points), with an ellipsis when cut. */
const clip = (text, max) => {
    const chars = Array.from(text);
    return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : text;
};
const short$2 = (target) => (/^[0-9a-f]{40}$/.test(target) ? target.slice(0, 12) : target);
const plural$1 = (n, one, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** Untrusted text for a cell, cut to `max` characters first. */
const cell$1 = (text, max = 300) => markdownCell(clip(text, max));
/**
 * An untrusted value (a path, a key, an environment) in monospace: `<code>` around an escaped cell,
 * since a Markdown code span would show the escapes and could be closed by a backtick.
 */
const code = (text, max = 200) => `<code>${cell$1(text, max)}</code>`;
/** Our own Markdown (a hint) inside a table cell: only a pipe needs escaping. */
const ours = (markdown) => markdown.replace(/\|/g, '\\|');
/** A link to github.com shown as a link; anything else stays escaped text. */
function link(url) {
    if (!url)
        return '';
    const m = /^https:\/\/github\.com\/([A-Za-z0-9._~/#?=&%+-]{1,300})$/.exec(url);
    if (!m)
        return cell$1(url, 200);
    const path = m[1].split('/').slice(2).join('/') || m[1];
    return `[${markdownCell(clip(path, 80))}](${url})`;
}
const text = (...lines) => ({ kind: 'text', lines });
/** A table of `count` rows, rendering only the rows that can be shown. */
function table(head, items, row, more) {
    const rows = items.slice(0, MAX_TABLE_ROWS$1).map(row);
    return { kind: 'table', head, rows, total: items.length, more };
}
const bytes = (line) => measure(line).bytes + 1;
const MORE_RESERVE = 200;
/**
 * Joins the parts within `budget` bytes. Fixed text always goes in; the rest is shared among the
 * tables (water-filling: a small table gets all its rows, the large ones split what remains), and
 * a table that does not fit ends its rows with "… N more rows".
 */
function assemble(parts, budget) {
    let fixed = 0;
    for (const p of parts)
        for (const l of p.kind === 'text' ? p.lines : p.head)
            fixed += bytes(l);
    const tables = parts.filter((p) => p.kind === 'table');
    fixed += tables.length * MORE_RESERVE;
    const need = new Map(tables.map((t) => [t, t.rows.reduce((n, r) => n + bytes(r), 0)]));
    const allowance = new Map();
    let remaining = Math.max(0, budget - fixed);
    const open = [...tables].sort((a, b) => need.get(a) - need.get(b));
    while (open.length > 0) {
        const share = remaining / open.length;
        const t = open.shift();
        const give = Math.min(need.get(t), share);
        allowance.set(t, give);
        remaining -= give;
    }
    const out = [];
    for (const p of parts) {
        if (p.kind === 'text') {
            out.push(...p.lines);
            continue;
        }
        out.push(...p.head);
        let left = allowance.get(p) ?? 0;
        let shown = 0;
        for (const row of p.rows) {
            const size = bytes(row);
            if (size > left)
                break;
            left -= size;
            out.push(row);
            shown++;
        }
        if (shown < p.total)
            out.push('', p.more(p.total - shown));
        out.push('');
    }
    return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
const BANNER_KIND = {
    published: 'TIP',
    noop: 'NOTE',
    'dry-run': 'NOTE',
    blocked: 'CAUTION',
    failed: 'CAUTION',
    off: 'NOTE',
};
/** The one line that says what happened, with GitHub's alert colour for it. */
function banner(plan, writes = []) {
    const planned = plan.entries.filter((e) => e.action !== 'skip').length;
    const blockers = plan.blockers.length;
    let kind = BANNER_KIND[plan.decision];
    let line;
    switch (plan.decision) {
        case 'published': {
            const done = writes.filter((w) => w.status === 'done').length;
            const same = writes.filter((w) => w.status === 'unchanged').length;
            line = `✅ **Published**: ${plural$1(done, 'write')} made${same ? `, ${same} already up to date` : ''}.`;
            break;
        }
        case 'noop':
            line = '☑️ **No change**: everything was already published; nothing was written.';
            break;
        case 'dry-run':
            if (blockers > 0)
                kind = 'WARNING';
            line = `🧪 **Dry run**: nothing was written; ${plural$1(planned, 'write')} would have been made${blockers ? `, and ${plural$1(blockers, 'blocker')} would stop a live run` : ''}.`;
            break;
        case 'blocked':
            line = `⛔ **Blocked**: ${plural$1(blockers, 'blocker')}; nothing was written.`;
            break;
        case 'failed':
            line = `❌ **Failed**: a write failed; nothing after it was attempted.`;
            break;
        case 'off':
            line = '⏸️ **Off**: publishing is switched off; nothing was planned or written.';
            break;
    }
    return [`> [!${kind}]`, `> ${line}`];
}
const PLAN_ICON = (plan, e) => {
    if (e.allowed)
        return e.action === 'skip' ? '☑️ unchanged' : '✅ allowed';
    if (e.blocker)
        return `⛔ blocked: \`${e.blocker}\``;
    return plan.mode === 'dry-run' ? '🧪 would write' : '⛔ not allowed';
};
const WRITE_ICON = { done: '✅', unchanged: '☑️', failed: '❌', ambiguous: '❓' };
const DROPPED = {
    'unsafe-path': 'unsafe path',
    'denied-path': 'path in `findings.deny-paths`',
    severity: 'below `min-severity`',
    confidence: 'below `min-confidence`',
    'out-of-scope': 'outside the `scope`',
    duplicate: 'duplicate',
};
/** A blocker's subject: a plan entry's key becomes "plan #n (kind)", anything else stays escaped text. */
function subjectCell(b, entries) {
    if (b.subject === undefined)
        return '';
    const found = entries.get(b.subject);
    return found ? `plan #${found[0] + 1} (${found[1].kind})` : cell$1(b.subject, 200);
}
/** The findings the review would post as inline comments (each once), in the plan's order. */
function inlineFindings(plan) {
    const seen = new Set();
    const out = [];
    for (const payload of Object.values(plan.payloads))
        if (payload.kind === 'review')
            for (const f of payload.findings)
                if (f.inline && !seen.has(f.fingerprint)) {
                    seen.add(f.fingerprint);
                    out.push(f);
                }
    return out;
}
function renderSummary(plan, run = {}) {
    const parts = [];
    const entries = plan.entries;
    const entryIndex = new Map(entries.map((e, i) => [e.key, [i, e]]));
    const origin = run.factsOrigin ? ` · facts ${markdownCell(clip(run.factsOrigin, 40))}` : '';
    parts.push(text('## Publish Gate', '', ...banner(plan, run.writes), '', `mode \`${plan.mode}\` · plan-digest \`${plan.digest}\`${origin}`, ''));
    if (plan.policySource === 'defaults')
        parts.push(text('> [!WARNING]', '> The policy could not be read; this run evaluated safe built-in defaults (dry-run, every write denied).', ''));
    if (plan.warnings.length > 0) {
        const shown = plan.warnings.slice(0, MAX_WARNINGS).map((w) => `> - \`${w.code}\`: ${cell$1(w.message, 500)}. ${HINTS[w.code].fix}`);
        const more = plan.warnings.length - shown.length;
        parts.push(text('> [!NOTE]', '> **Warnings**', '>', ...shown, ...(more > 0 ? [`> - … ${plural$1(more, 'more warning')}`] : []), ''));
    }
    const path = gatePath(plan, run);
    parts.push(text('### Gate path', '', ...mermaid(path), '', STAGES.map((s) => `${STATUS_ICON[path[s]]} ${STAGE_LABEL[s]}`).join(' → '), ''));
    if (plan.blockers.length === 0 && plan.decision !== 'off')
        parts.push(text('### Blockers (0)', '', plan.decision === 'dry-run' ? '_None: a live run on these facts would not be blocked._' : '_None._', ''));
    else if (plan.blockers.length > 0) {
        const heading = plan.decision === 'dry-run' ? `### Blockers: what would stop a live run (${plan.blockers.length})` : `### Blockers (${plan.blockers.length})`;
        parts.push(table([heading, '', '| Code | Gate | Subject | Message | How to fix |', '|---|---|---|---|---|'], plan.blockers, (b) => `| \`${b.code}\` | ${STAGE_LABEL[HINTS[b.code].stage]} | ${subjectCell(b, entryIndex)} | ${cell$1(b.message, 1000)} | ${ours(HINTS[b.code].fix)} |`, (n) => `_… ${plural$1(n, 'more row')}: the \`blockers\` output lists them all._`));
    }
    const planHeading = plan.decision === 'dry-run' ? `### What would have been written (${entries.length})` : `### Plan (${entries.length})`;
    if (entries.length === 0)
        parts.push(text(planHeading, '', plan.decision === 'off' ? '_Nothing was planned: publishing is off._' : '_Nothing to write._', ''));
    else
        parts.push(table([planHeading, '', '| # | Kind | Target | Action | Status |', '|---:|---|---|---|---|'], entries, (e, i) => `| ${i + 1} | ${e.kind} | ${cell$1(short$2(e.target), 200)} | ${e.action} | ${PLAN_ICON(plan, e)} |`, (n) => `_… ${plural$1(n, 'more row')}: the \`plan\` output lists them all._`));
    if (run.writes && run.writes.length > 0)
        parts.push(table(['### Writes', '', '| Kind | Status | Link | Note |', '|---|---|---|---|'], run.writes, (w) => {
            const note = [w.note, w.error ? `${w.error.code}: ${w.error.message}` : undefined].filter(Boolean).join(' — ');
            return `| ${markdownCell(w.kind)} | ${WRITE_ICON[w.status] ?? ''} ${markdownCell(w.status)} | ${link(w.url)} | ${cell$1(note, 300)} |`;
        }, (n) => `_… ${plural$1(n, 'more row')}: the \`writes\` output lists them all._`));
    const f = plan.findings;
    const dropped = Object.entries(f.dropped).filter(([, n]) => n > 0);
    const findingRows = [
        `| In the envelope | ${f.total} |`,
        `| ${plan.decision === 'published' || plan.decision === 'noop' ? 'Published' : plan.decision === 'dry-run' ? 'Would be published' : 'Selected to publish (not written)'} | ${f.published} |`,
        `| ↳ inline review comments | ${f.inline} |`,
        `| ↳ folded into the summary | ${f.folded} |`,
        ...(dropped.length ? dropped.map(([reason, n]) => `| Dropped: ${DROPPED[reason]} | ${n} |`) : ['| Dropped | 0 |']),
        ...(plan.held > 0 ? [`| Memory proposals held (never written) | ${plan.held} |`] : []),
    ];
    parts.push(table(['### Findings', '', '| Findings | Count |', '|---|---:|'], findingRows, (r) => r, (n) => `_… ${plural$1(n, 'more row')}._`));
    if (run.approval) {
        const a = run.approval;
        if (!a.required)
            parts.push(text('### Approval', '', '_The policy requires no approval (`approval: none`)._', ''));
        else {
            const settings = a.settings
                ? `prevent self-review ${a.settings.preventSelfReview ? 'on ✅' : 'off ⚠️'}, administrator bypass ${a.settings.canAdminsBypass ? 'allowed ⚠️' : 'off ✅'}`
                : 'settings not read';
            const head = ['### Approval', '', `Environment ${code(a.environment, 100)} (from the policy): ${settings}.${a.origin === 'assumed' ? ' _Assumed facts: GitHub was not asked._' : ''}`, ''];
            if (a.approvals.length === 0)
                parts.push(text(...head, '_No approvals of this run._', ''));
            else
                parts.push(table([...head, '| Reviewer | Environment | State |', '|---|---|---|'], a.approvals, (r) => `| ${cell$1(r.user, 100)} | ${cell$1(r.environment, 100)}${r.environment === a.environment ? '' : ' (another environment)'} | ${r.state === 'approved' ? '✅' : r.state === 'rejected' ? '❌' : '⏳'} ${cell$1(r.state, 20)} |`, (n) => `_… ${plural$1(n, 'more approval')}._`));
        }
    }
    if (run.redactions) {
        const counts = Object.entries(run.redactions.counts)
            .filter(([, n]) => n > 0)
            .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0));
        const unscannable = run.redactions.unscannable ?? 0;
        const head = ['### Redactions', '', '_Secrets and token-shaped text replaced with `[REDACTED:<rule>]` in everything this run sent to GitHub or the log: counts only, never values._', ''];
        if (counts.length === 0 && unscannable === 0)
            parts.push(text(...head, '_Nothing was redacted._', ''));
        else
            parts.push(table([...head, '| Rule | Redacted |', '|---|---:|'], [...counts.map(([rule, n]) => `| \`${markdownCell(rule).replace(/`/g, '')}\` | ${n} |`), ...(unscannable ? [`| texts replaced (could not be scanned in time) | ${unscannable} |`] : [])], (r) => r, (n) => `_… ${plural$1(n, 'more rule')}._`));
    }
    if (run.ledger) {
        const l = run.ledger;
        parts.push(text('### Ledger', '', `- **Persisted:** ${l.persisted ? '✅ yes' : '⚠️ no: it stays at `ledger-path`, for this job only'}`, `- **Path:** ${code(l.path, 300)}`, ...(l.artifactId !== undefined ? [`- **Artifact:** ${l.artifactId}`] : []), ...(l.cacheKey ? [`- **Cache key:** ${code(l.cacheKey, 200)}`] : []), ...(l.restored ? [`- **Earlier ledger:** ${cell$1(l.restored, 300)}`] : []), ''));
    }
    return assemble(parts, run.budget ?? SUMMARY_BUDGET);
}

// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
/**
 * Sanitizes an input into a string so it can be passed into issueCommand safely
 * @param input input to sanitize into a string
 */
function toCommandValue(input) {
    if (input === null || input === undefined) {
        return '';
    }
    else if (typeof input === 'string' || input instanceof String) {
        return input;
    }
    return JSON.stringify(input);
}
/**
 *
 * @param annotationProperties
 * @returns The command properties to send with the actual annotation command
 * See IssueCommandProperties: https://github.com/actions/runner/blob/main/src/Runner.Worker/ActionCommandManager.cs#L646
 */
function toCommandProperties(annotationProperties) {
    if (!Object.keys(annotationProperties).length) {
        return {};
    }
    return {
        title: annotationProperties.title,
        file: annotationProperties.file,
        line: annotationProperties.startLine,
        endLine: annotationProperties.endLine,
        col: annotationProperties.startColumn,
        endColumn: annotationProperties.endColumn
    };
}

/**
 * Issues a command to the GitHub Actions runner
 *
 * @param command - The command name to issue
 * @param properties - Additional properties for the command (key-value pairs)
 * @param message - The message to include with the command
 * @remarks
 * This function outputs a specially formatted string to stdout that the Actions
 * runner interprets as a command. These commands can control workflow behavior,
 * set outputs, create annotations, mask values, and more.
 *
 * Command Format:
 *   ::name key=value,key=value::message
 *
 * @example
 * ```typescript
 * // Issue a warning annotation
 * issueCommand('warning', {}, 'This is a warning message');
 * // Output: ::warning::This is a warning message
 *
 * // Set an environment variable
 * issueCommand('set-env', { name: 'MY_VAR' }, 'some value');
 * // Output: ::set-env name=MY_VAR::some value
 *
 * // Add a secret mask
 * issueCommand('add-mask', {}, 'secretValue123');
 * // Output: ::add-mask::secretValue123
 * ```
 *
 * @internal
 * This is an internal utility function that powers the public API functions
 * such as setSecret, warning, error, and exportVariable.
 */
function issueCommand(command, properties, message) {
    const cmd = new Command(command, properties, message);
    process.stdout.write(cmd.toString() + os.EOL);
}
function issue(name, message = '') {
    issueCommand(name, {}, message);
}
const CMD_STRING = '::';
class Command {
    constructor(command, properties, message) {
        if (!command) {
            command = 'missing.command';
        }
        this.command = command;
        this.properties = properties;
        this.message = message;
    }
    toString() {
        let cmdStr = CMD_STRING + this.command;
        if (this.properties && Object.keys(this.properties).length > 0) {
            cmdStr += ' ';
            let first = true;
            for (const key in this.properties) {
                if (this.properties.hasOwnProperty(key)) {
                    const val = this.properties[key];
                    if (val) {
                        if (first) {
                            first = false;
                        }
                        else {
                            cmdStr += ',';
                        }
                        cmdStr += `${key}=${escapeProperty(val)}`;
                    }
                }
            }
        }
        cmdStr += `${CMD_STRING}${escapeData(this.message)}`;
        return cmdStr;
    }
}
function escapeData(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return toCommandValue(s)
        .replace(/%/g, '%25')
        .replace(/\r/g, '%0D')
        .replace(/\n/g, '%0A')
        .replace(/:/g, '%3A')
        .replace(/,/g, '%2C');
}

// For internal use, subject to change.
// We use any as a valid input type
/* eslint-disable @typescript-eslint/no-explicit-any */
function issueFileCommand(command, message) {
    const filePath = process.env[`GITHUB_${command}`];
    if (!filePath) {
        throw new Error(`Unable to find environment variable for file command ${command}`);
    }
    if (!fs.existsSync(filePath)) {
        throw new Error(`Missing file at path: ${filePath}`);
    }
    fs.appendFileSync(filePath, `${toCommandValue(message)}${os.EOL}`, {
        encoding: 'utf8'
    });
}
function prepareKeyValueMessage(key, value) {
    const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
    const convertedValue = toCommandValue(value);
    // These should realistically never happen, but just in case someone finds a
    // way to exploit uuid generation let's not allow keys or values that contain
    // the delimiter.
    if (key.includes(delimiter)) {
        throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
    }
    if (convertedValue.includes(delimiter)) {
        throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
    }
    return `${key}<<${delimiter}${os.EOL}${convertedValue}${os.EOL}${delimiter}`;
}

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};

var __awaiter = (undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
const { access, appendFile, writeFile } = promises;
const SUMMARY_ENV_VAR = 'GITHUB_STEP_SUMMARY';
class Summary {
    constructor() {
        this._buffer = '';
    }
    /**
     * Finds the summary file path from the environment, rejects if env var is not found or file does not exist
     * Also checks r/w permissions.
     *
     * @returns step summary file path
     */
    filePath() {
        return __awaiter(this, void 0, void 0, function* () {
            if (this._filePath) {
                return this._filePath;
            }
            const pathFromEnv = process.env[SUMMARY_ENV_VAR];
            if (!pathFromEnv) {
                throw new Error(`Unable to find environment variable for $${SUMMARY_ENV_VAR}. Check if your runtime environment supports job summaries.`);
            }
            try {
                yield access(pathFromEnv, constants.R_OK | constants.W_OK);
            }
            catch (_a) {
                throw new Error(`Unable to access summary file: '${pathFromEnv}'. Check if the file has correct read/write permissions.`);
            }
            this._filePath = pathFromEnv;
            return this._filePath;
        });
    }
    /**
     * Wraps content in an HTML tag, adding any HTML attributes
     *
     * @param {string} tag HTML tag to wrap
     * @param {string | null} content content within the tag
     * @param {[attribute: string]: string} attrs key-value list of HTML attributes to add
     *
     * @returns {string} content wrapped in HTML element
     */
    wrap(tag, content, attrs = {}) {
        const htmlAttrs = Object.entries(attrs)
            .map(([key, value]) => ` ${key}="${value}"`)
            .join('');
        if (!content) {
            return `<${tag}${htmlAttrs}>`;
        }
        return `<${tag}${htmlAttrs}>${content}</${tag}>`;
    }
    /**
     * Writes text in the buffer to the summary buffer file and empties buffer. Will append by default.
     *
     * @param {SummaryWriteOptions} [options] (optional) options for write operation
     *
     * @returns {Promise<Summary>} summary instance
     */
    write(options) {
        return __awaiter(this, void 0, void 0, function* () {
            const overwrite = !!(options === null || options === void 0 ? void 0 : options.overwrite);
            const filePath = yield this.filePath();
            const writeFunc = overwrite ? writeFile : appendFile;
            yield writeFunc(filePath, this._buffer, { encoding: 'utf8' });
            return this.emptyBuffer();
        });
    }
    /**
     * Clears the summary buffer and wipes the summary file
     *
     * @returns {Summary} summary instance
     */
    clear() {
        return __awaiter(this, void 0, void 0, function* () {
            return this.emptyBuffer().write({ overwrite: true });
        });
    }
    /**
     * Returns the current summary buffer as a string
     *
     * @returns {string} string of summary buffer
     */
    stringify() {
        return this._buffer;
    }
    /**
     * If the summary buffer is empty
     *
     * @returns {boolen} true if the buffer is empty
     */
    isEmptyBuffer() {
        return this._buffer.length === 0;
    }
    /**
     * Resets the summary buffer without writing to summary file
     *
     * @returns {Summary} summary instance
     */
    emptyBuffer() {
        this._buffer = '';
        return this;
    }
    /**
     * Adds raw text to the summary buffer
     *
     * @param {string} text content to add
     * @param {boolean} [addEOL=false] (optional) append an EOL to the raw text (default: false)
     *
     * @returns {Summary} summary instance
     */
    addRaw(text, addEOL = false) {
        this._buffer += text;
        return addEOL ? this.addEOL() : this;
    }
    /**
     * Adds the operating system-specific end-of-line marker to the buffer
     *
     * @returns {Summary} summary instance
     */
    addEOL() {
        return this.addRaw(EOL);
    }
    /**
     * Adds an HTML codeblock to the summary buffer
     *
     * @param {string} code content to render within fenced code block
     * @param {string} lang (optional) language to syntax highlight code
     *
     * @returns {Summary} summary instance
     */
    addCodeBlock(code, lang) {
        const attrs = Object.assign({}, (lang && { lang }));
        const element = this.wrap('pre', this.wrap('code', code), attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML list to the summary buffer
     *
     * @param {string[]} items list of items to render
     * @param {boolean} [ordered=false] (optional) if the rendered list should be ordered or not (default: false)
     *
     * @returns {Summary} summary instance
     */
    addList(items, ordered = false) {
        const tag = ordered ? 'ol' : 'ul';
        const listItems = items.map(item => this.wrap('li', item)).join('');
        const element = this.wrap(tag, listItems);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML table to the summary buffer
     *
     * @param {SummaryTableCell[]} rows table rows
     *
     * @returns {Summary} summary instance
     */
    addTable(rows) {
        const tableBody = rows
            .map(row => {
            const cells = row
                .map(cell => {
                if (typeof cell === 'string') {
                    return this.wrap('td', cell);
                }
                const { header, data, colspan, rowspan } = cell;
                const tag = header ? 'th' : 'td';
                const attrs = Object.assign(Object.assign({}, (colspan && { colspan })), (rowspan && { rowspan }));
                return this.wrap(tag, data, attrs);
            })
                .join('');
            return this.wrap('tr', cells);
        })
            .join('');
        const element = this.wrap('table', tableBody);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds a collapsable HTML details element to the summary buffer
     *
     * @param {string} label text for the closed state
     * @param {string} content collapsable content
     *
     * @returns {Summary} summary instance
     */
    addDetails(label, content) {
        const element = this.wrap('details', this.wrap('summary', label) + content);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML image tag to the summary buffer
     *
     * @param {string} src path to the image you to embed
     * @param {string} alt text description of the image
     * @param {SummaryImageOptions} options (optional) addition image attributes
     *
     * @returns {Summary} summary instance
     */
    addImage(src, alt, options) {
        const { width, height } = options || {};
        const attrs = Object.assign(Object.assign({}, (width && { width })), (height && { height }));
        const element = this.wrap('img', null, Object.assign({ src, alt }, attrs));
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML section heading element
     *
     * @param {string} text heading text
     * @param {number | string} [level=1] (optional) the heading level, default: 1
     *
     * @returns {Summary} summary instance
     */
    addHeading(text, level) {
        const tag = `h${level}`;
        const allowedTag = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].includes(tag)
            ? tag
            : 'h1';
        const element = this.wrap(allowedTag, text);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML thematic break (<hr>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addSeparator() {
        const element = this.wrap('hr', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML line break (<br>) to the summary buffer
     *
     * @returns {Summary} summary instance
     */
    addBreak() {
        const element = this.wrap('br', null);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML blockquote to the summary buffer
     *
     * @param {string} text quote text
     * @param {string} cite (optional) citation url
     *
     * @returns {Summary} summary instance
     */
    addQuote(text, cite) {
        const attrs = Object.assign({}, (cite && { cite }));
        const element = this.wrap('blockquote', text, attrs);
        return this.addRaw(element).addEOL();
    }
    /**
     * Adds an HTML anchor tag to the summary buffer
     *
     * @param {string} text link text/content
     * @param {string} href hyperlink
     *
     * @returns {Summary} summary instance
     */
    addLink(text, href) {
        const element = this.wrap('a', text, { href });
        return this.addRaw(element).addEOL();
    }
}
const _summary = new Summary();
const summary = _summary;

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
os__default.platform();
os__default.arch();

(undefined && undefined.__awaiter) || function (thisArg, _arguments, P, generator) {
    function adopt(value) { return value instanceof P ? value : new P(function (resolve) { resolve(value); }); }
    return new (P || (P = Promise))(function (resolve, reject) {
        function fulfilled(value) { try { step(generator.next(value)); } catch (e) { reject(e); } }
        function rejected(value) { try { step(generator["throw"](value)); } catch (e) { reject(e); } }
        function step(result) { result.done ? resolve(result.value) : adopt(result.value).then(fulfilled, rejected); }
        step((generator = generator.apply(thisArg, _arguments || [])).next());
    });
};
/**
 * The code to exit an action
 */
var ExitCode;
(function (ExitCode) {
    /**
     * A code indicating that the action was successful
     */
    ExitCode[ExitCode["Success"] = 0] = "Success";
    /**
     * A code indicating that the action was a failure
     */
    ExitCode[ExitCode["Failure"] = 1] = "Failure";
})(ExitCode || (ExitCode = {}));
/**
 * Registers a secret which will get masked from logs
 *
 * @param secret - Value of the secret to be masked
 * @remarks
 * This function instructs the Actions runner to mask the specified value in any
 * logs produced during the workflow run. Once registered, the secret value will
 * be replaced with asterisks (***) whenever it appears in console output, logs,
 * or error messages.
 *
 * This is useful for protecting sensitive information such as:
 * - API keys
 * - Access tokens
 * - Authentication credentials
 * - URL parameters containing signatures (SAS tokens)
 *
 * Note that masking only affects future logs; any previous appearances of the
 * secret in logs before calling this function will remain unmasked.
 *
 * @example
 * ```typescript
 * // Register an API token as a secret
 * const apiToken = "abc123xyz456";
 * setSecret(apiToken);
 *
 * // Now any logs containing this value will show *** instead
 * console.log(`Using token: ${apiToken}`); // Outputs: "Using token: ***"
 * ```
 */
function setSecret(secret) {
    issueCommand('add-mask', {}, secret);
}
/**
 * Gets the value of an input.
 * Unless trimWhitespace is set to false in InputOptions, the value is also trimmed.
 * Returns an empty string if the value is not defined.
 *
 * @param     name     name of the input to get
 * @param     options  optional. See InputOptions.
 * @returns   string
 */
function getInput(name, options) {
    const val = process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] || '';
    return val.trim();
}
/**
 * Sets the value of an output.
 *
 * @param     name     name of the output to set
 * @param     value    value to store. Non-string values will be converted to a string via JSON.stringify
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function setOutput(name, value) {
    const filePath = process.env['GITHUB_OUTPUT'] || '';
    if (filePath) {
        return issueFileCommand('OUTPUT', prepareKeyValueMessage(name, value));
    }
    process.stdout.write(os.EOL);
    issueCommand('set-output', { name }, toCommandValue(value));
}
//-----------------------------------------------------------------------
// Results
//-----------------------------------------------------------------------
/**
 * Sets the action status to failed.
 * When the action exits it will be with an exit code of 1
 * @param message add error issue message
 */
function setFailed(message) {
    process.exitCode = ExitCode.Failure;
    error(message);
}
//-----------------------------------------------------------------------
// Logging Commands
//-----------------------------------------------------------------------
/**
 * Gets whether Actions Step Debug is on or not
 */
function isDebug() {
    return process.env['RUNNER_DEBUG'] === '1';
}
/**
 * Writes debug message to user log
 * @param message debug message
 */
function debug(message) {
    issueCommand('debug', {}, message);
}
/**
 * Adds an error issue
 * @param message error issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function error(message, properties = {}) {
    issueCommand('error', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a warning issue
 * @param message warning issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function warning(message, properties = {}) {
    issueCommand('warning', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Adds a notice issue
 * @param message notice issue message. Errors will be converted to string via toString()
 * @param properties optional properties to add to the annotation.
 */
function notice(message, properties = {}) {
    issueCommand('notice', toCommandProperties(properties), message instanceof Error ? message.toString() : message);
}
/**
 * Writes info to log with console.log.
 * @param message info message
 */
function info(message) {
    process.stdout.write(message + os.EOL);
}
/**
 * Begin an output group.
 *
 * Output until the next `groupEnd` will be foldable in this group
 *
 * @param name The name of the output group
 */
function startGroup(name) {
    issue('group', name);
}
/**
 * End an output group.
 */
function endGroup() {
    issue('endgroup');
}

/** Input names of action.yml (SPEC §2). */
const Inputs = {
    Mode: 'mode',
    Config: 'config',
    ConfigRef: 'config-ref',
    Envelope: 'envelope',
    Evidence: 'evidence',
    RunId: 'run-id',
    EnvelopePath: 'envelope-path',
    EvidencePath: 'evidence-path',
    ConfigPath: 'config-path',
    Deny: 'deny',
    GithubToken: 'github-token',
    LedgerKey: 'ledger-key',
    LedgerRetentionDays: 'ledger-retention-days',
    FailOnBlocked: 'fail-on-blocked',
};
/** Output names of action.yml (SPEC §3). */
const Outputs = {
    Decision: 'decision',
    Blockers: 'blockers',
    Plan: 'plan',
    PlanDigest: 'plan-digest',
    Writes: 'writes',
    PrNumber: 'pr-number',
    PrUrl: 'pr-url',
    CommentUrl: 'comment-url',
    CheckRunId: 'check-run-id',
    LedgerPath: 'ledger-path',
    LedgerArtifactId: 'ledger-artifact-id',
    LedgerCacheKey: 'ledger-cache-key',
    LedgerPersisted: 'ledger-persisted',
};

/** Joins the texts of one batch: sanitized text has no NUL, so no text contains it. */
const SEPARATOR = '\n\u0000\n';
/**
 * Characters per batch: well inside one scan's time budget (2 s + 1 ms per KiB). Not larger, because
 * secretlint compares every pair of its messages in a scan, so a batch full of tokens costs
 * quadratically (measured side by side on 10,000 token-dense annotations: 256 KiB 390–580 ms,
 * 96 KiB 330–530 ms; ordinary text the same at both); not smaller, because 48, 24 and 12 KiB, with
 * the automaton's threshold (`AUTOMATON_FROM_CHARS`) lowered to match, measured no faster: each scan
 * has a fixed cost that takes the gain back.
 */
const BATCH_CHARS = 96 * 1024;
const brand = (text) => text;
/** Until a policy is read: no mentions allowed, links only to github.com (the policy's own defaults). */
const DEFAULT_MARKDOWN_POLICY = { allowedMentions: [], allowedDomains: ['github.com'] };
const MARKER_FORMS = [
    /^<!-- publish-gate v1 key=[0-9a-f]{32} mac=(?:none|[0-9a-f]{64}) -->$/,
    /^\[publish-gate\]: # \(v1 key=[0-9a-f]{32} mac=(?:none|[0-9a-f]{64})\)$/,
];
function add(into, counts) {
    for (const [k, n] of Object.entries(counts))
        into[k] = (into[k] ?? 0) + n;
}
/**
 * The one choke point for outgoing text (SPEC §11). Order matters: Markdown is sanitized first,
 * because removing invisible characters or comments could otherwise join the halves of a split
 * secret after it was scanned; redaction runs on the final text; truncation comes last, so a cut
 * can never leave a partial secret that no longer matches its rule.
 */
class ContentPipeline {
    redactor;
    policy;
    report = { redactions: {}, neutralized: {}, unscannable: 0 };
    constructor(redactor, policy = DEFAULT_MARKDOWN_POLICY, report) {
        this.redactor = redactor;
        this.policy = policy;
        if (report)
            this.report = report;
    }
    /** The same redactor and report, with the Markdown rules of the policy that was read. */
    withMarkdownPolicy(policy) {
        return new ContentPipeline(this.redactor, policy, this.report);
    }
    async redact(text) {
        const result = await this.redactor.redact(text);
        add(this.report.redactions, result.counts);
        if (result.failed)
            this.report.unscannable++;
        return result.text;
    }
    /** Agent Markdown for a body: comments, PR body, review, check-run summary. */
    async markdown(text, limit) {
        const sanitized = sanitizeMarkdown(text, this.policy);
        add(this.report.neutralized, sanitized.counts);
        return brand(truncateMarkdown(await this.redact(sanitized.text), limit));
    }
    /** A one-line plain field: titles, status descriptions, annotation titles. */
    async plain(text, limit) {
        return brand(truncatePlain(await this.redact(sanitizePlain(text)), limit));
    }
    /**
     * Many short plain texts (check-run annotations: a title, a message and a path per finding), with
     * the same result as `plain` on each, redacted in batches: one scan costs about 0.3 ms whatever
     * its length, so 30,000 separate scans would dominate a large plan. Texts are joined with a
     * separator that sanitized text cannot contain (a NUL between newlines); a finding is applied to
     * every text it overlaps, so a match that a scanner made across a separator redacts more, never
     * less. A batch that cannot be scanned turns every text in it into the placeholder (fail closed).
     */
    async plainMany(texts, limit) {
        return (await this.redactMany(texts.map((t) => sanitizePlain(t)))).map((text) => brand(truncatePlain(text, limit)));
    }
    /** Texts redacted together in batches of about {@link BATCH_CHARS}, in order (see {@link plainMany}). */
    async redactMany(texts) {
        const out = [];
        for (let i = 0; i < texts.length;) {
            const batch = [];
            let size = 0;
            while (i < texts.length && (batch.length === 0 || size + texts[i].length <= BATCH_CHARS)) {
                batch.push(texts[i]);
                size += texts[i].length + SEPARATOR.length;
                i++;
            }
            out.push(...(await this.redactBatch(batch)));
        }
        return out;
    }
    async redactBatch(texts) {
        if (texts.length === 1)
            return [await this.redact(texts[0])];
        const joined = texts.join(SEPARATOR);
        let findings;
        try {
            findings = await this.redactor.scan(joined);
        }
        catch {
            this.report.unscannable += texts.length;
            return texts.map(() => UNSCANNABLE);
        }
        const out = [];
        let from = 0;
        // Findings come sorted and disjoint: each text looks only at those that reach into it.
        let first = 0;
        for (const text of texts) {
            const to = from + text.length;
            while (first < findings.length && findings[first].end <= from)
                first++;
            let result = '';
            let at = 0;
            for (let k = first; k < findings.length && findings[k].start < to; k++) {
                const f = findings[k];
                const start = Math.max(f.start, from) - from;
                const end = Math.min(f.end, to) - from;
                if (end <= start || start < at)
                    continue;
                result += `${text.slice(at, start)}[REDACTED:${f.rule}]`;
                at = end;
                this.report.redactions[f.rule] = (this.report.redactions[f.rule] ?? 0) + 1;
            }
            out.push(result + text.slice(at));
            from = to + SEPARATOR.length;
        }
        return out;
    }
    /**
     * Markdown we composed ourselves around untrusted cells that were already escaped (the job
     * summary): only redaction and the size limit apply, since escaping twice would garble it.
     */
    async composed(markdown, limit) {
        return brand(truncateMarkdown(await this.redact(markdown), limit));
    }
    /** Text whose form must stay as it is (an output value): redaction only. */
    async redacted(text) {
        return brand(await this.redact(text));
    }
    /**
     * A body with our idempotency marker as its first line. The marker is our own text, but it is
     * checked against its exact form, so nothing else can be slipped in front of a safe body.
     */
    marked(marker, body) {
        if (!MARKER_FORMS.some((form) => form.test(marker)))
            throw new Error('not a Publish Gate marker line');
        return brand(body ? `${marker}\n${body}` : marker);
    }
    /** A value for an output or the ledger: every string in it redacted (together, in batches), then JSON. */
    async json(value) {
        const strings = [];
        const collect = (item) => {
            if (typeof item === 'string')
                strings.push(item);
            else if (Array.isArray(item))
                item.forEach(collect);
            else if (item !== null && typeof item === 'object')
                Object.values(item).forEach(collect);
        };
        collect(value);
        const redacted = await this.redactMany(strings);
        let next = 0;
        const rebuild = (item) => {
            if (typeof item === 'string')
                return redacted[next++];
            if (Array.isArray(item))
                return item.map(rebuild);
            if (item !== null && typeof item === 'object')
                return Object.fromEntries(Object.entries(item).map(([k, v]) => [k, rebuild(v)]));
            return item;
        };
        return brand(JSON.stringify(rebuild(value)));
    }
    /** A log line: redacted, then made unable to form a workflow command. */
    async logLine(text) {
        return brand(logSafe(await this.redact(text)));
    }
}

/** The workflow token's login: the author of everything it writes. */
const WORKFLOW_IDENTITY = 'github-actions[bot]';
/**
 * The login the token writes as, asked at most once and only when a lookup needs it. Installation
 * tokens (`ghs_`: the workflow token, or a GitHub App's) cannot ask (GET /user answers 403 for
 * them) and are taken as the workflow token's bot; a GitHub App's own token therefore does not
 * recognise its earlier comments (README, "Tokens"). Any other token (a personal access token,
 * OAuth or user token) is asked through GET /user; a failure fails the lookup that needed it.
 */
function tokenIdentity(client, token) {
    let asked;
    return () => {
        if (token.startsWith('ghs_') || !token)
            return Promise.resolve(WORKFLOW_IDENTITY);
        asked ??= client.rest.users.getAuthenticated().then(({ data }) => {
            if (typeof data.login !== 'string' || !data.login)
                throw new Error('GitHub reported no login for the token');
            return data.login;
        });
        // A failed answer is not remembered: the next lookup asks again.
        asked.catch(() => (asked = undefined));
        return asked;
    };
}
const lower = (s) => s.toLowerCase();
/** Whether a user is the identity (logins compare case-insensitively). */
function isIdentity(user, identity) {
    return !!user?.login && lower(user.login) === lower(identity);
}
/** Whether a check run was made by the identity's app: `<slug>[bot]` is the app's login. */
function isIdentityApp(app, identity) {
    return !!app?.slug && lower(`${app.slug}[bot]`) === lower(identity);
}

/**
 * SPEC §9 markers: the first line of every body the action writes names the write's idempotency key
 * and, with a `ledger-key`, an HMAC over it, so a marker copied into someone else's text, or forged
 * without the key, does not make that text ours.
 */
const KEY = /^[0-9a-f]{32}$/;
/** `<!-- publish-gate v1 key=<key> mac=<mac> -->` */
const COMMENT_FORM = /^<!-- publish-gate v1 key=([0-9a-f]{32}) mac=([0-9a-f]{64}|none) -->$/;
/** `[publish-gate]: # (v1 key=<key> mac=<mac>)`: a Markdown reference definition, for review bodies. */
const REFERENCE_FORM = /^\[publish-gate\]: # \(v1 key=([0-9a-f]{32}) mac=([0-9a-f]{64}|none)\)$/;
/** HMAC-SHA256(ledgerKey, `v1|<key>`) hex, or `none` without a key. */
function markerMac(key, ledgerKey) {
    if (!ledgerKey)
        return 'none';
    return createHmac('sha256', ledgerKey).update(`v1|${key}`, 'utf8').digest('hex');
}
function assertKey(key) {
    if (!KEY.test(key))
        throw new Error('an idempotency key is 32 lowercase hex characters');
}
/** The marker line of comments, PR bodies and check-run summaries. */
function markerLine(key, ledgerKey) {
    assertKey(key);
    return `<!-- publish-gate v1 key=${key} mac=${markerMac(key, ledgerKey)} -->`;
}
/** The marker of review bodies: GitHub strips HTML comments there, so it is a reference definition. */
function reviewMarkerLine(key, ledgerKey) {
    assertKey(key);
    return `[publish-gate]: # (v1 key=${key} mac=${markerMac(key, ledgerKey)})`;
}
/**
 * The marker on the first line of `body`, in either form. `valid`: the MAC verifies with `ledgerKey`;
 * without a key, only `mac=none` is valid (a keyed marker cannot be checked, so it is not trusted).
 */
function parseMarker(body, ledgerKey) {
    const first = (body.split(/\r\n|\r|\n/, 1)[0] ?? '').trim();
    const m = COMMENT_FORM.exec(first) ?? REFERENCE_FORM.exec(first);
    if (!m)
        return undefined;
    const [, key, mac] = m;
    const expected = markerMac(key, ledgerKey);
    const valid = expected.length === mac.length && timingSafeEqual(Buffer.from(expected), Buffer.from(mac));
    return { key, valid };
}
/** True when `body` starts with a valid marker for exactly `key`. */
function carriesMarker(body, key, ledgerKey) {
    if (!body)
        return false;
    const parsed = parseMarker(body, ledgerKey);
    return parsed !== undefined && parsed.valid && parsed.key === key;
}
/** `Publish-Gate: v1 key=<key> mac=<mac>`: the marker of commit messages, as a Git trailer on the last line. */
const TRAILER_FORM = /^Publish-Gate: v1 key=([0-9a-f]{32}) mac=([0-9a-f]{64}|none)$/;
/** The trailer line that makes a commit ours (same key and MAC as the other marker forms). */
function commitTrailer(key, ledgerKey) {
    assertKey(key);
    return `Publish-Gate: v1 key=${key} mac=${markerMac(key, ledgerKey)}`;
}
/** Whether a line of agent text has the trailer's form (it is dropped from agent text). */
function looksLikeTrailer(line) {
    return /^\s*publish-gate\s*:/i.test(line);
}
/**
 * True when the LAST line of a commit message is a valid trailer for exactly `key`. Only the last line
 * counts: the action always appends its trailer after the agent's text.
 */
function commitCarriesMarker(message, key, ledgerKey) {
    if (!message)
        return false;
    const lines = message.replace(/\r\n?/g, '\n').trimEnd().split('\n');
    const m = TRAILER_FORM.exec((lines.at(-1) ?? '').trim());
    if (!m || m[1] !== key)
        return false;
    const expected = markerMac(key, ledgerKey);
    return expected.length === m[2].length && timingSafeEqual(Buffer.from(expected), Buffer.from(m[2]));
}

/**
 * Published epochs reconciled from GitHub when no trusted ledger says them (SPEC §8, §9): the
 * action writes one review per epoch, keyed by the epoch, so the order of its own reviews on the PR
 * (authored by its identity, with a valid marker) is the order in which epochs were published.
 * A review key cannot be turned back into its epoch, but the envelope's own epoch can be turned into
 * its key: that is all EPOCH_REPLAYED needs (was this epoch published, and another after it?).
 *
 * Only as good as the reviews: a policy that never writes reviews leaves nothing to reconcile, and
 * someone who deletes the action's reviews erases the history. The list read here is offered to the
 * writer's first review lookup, so a run that writes a review pays no extra request.
 */
async function ownReviewKeys(client, repository, number, identity, ledgerKey, lookups) {
    const [owner = '', repo = ''] = repository.split('/');
    const reviews = (await client.paginate(client.rest.pulls.listReviews, { owner, repo, pull_number: number, per_page: 100 }));
    lookups?.putReviews(number, reviews);
    const me = await identity();
    const keys = [];
    for (const r of [...reviews].sort((a, b) => a.id - b.id)) {
        if (!isIdentity(r.user, me) || !r.body)
            continue;
        const marker = parseMarker(r.body, ledgerKey);
        if (marker?.valid && !keys.includes(marker.key))
            keys.push(marker.key);
    }
    return keys;
}
/**
 * The epochs to judge the envelope's epoch against. From the reviews: the envelope's epoch where
 * its review key appears, an opaque stand-in (`review:<key>`) for every other epoch. When the reviews
 * show a replay (this epoch's review, then another), they decide, whatever a ledger says: a ledger
 * can be older than GitHub (a run whose ledger was not stored). Otherwise a ledger's epochs stand,
 * and without any the reviews' do.
 */
function epochsFromReviews(state, keys, repository, number, epoch) {
    if (keys.length === 0)
        return state;
    const own = reviewKey(repository, number, epoch);
    const fromReviews = keys.map((k) => (k === own ? epoch : `review:${k}`));
    const replayed = keys.includes(own) && keys.at(-1) !== own;
    if (replayed || state.epochs.length === 0)
        return { ...state, epochs: fromReviews };
    return state;
}

/** Thrown by the firewall hook: the request never left the process. */
class FirewallError extends Error {
    name = 'FirewallError';
}
const TIMEOUT_NAMES = new Set(['AbortError', 'TimeoutError']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET']);
function isTimeout(error, depth = 0) {
    if (depth > 3 || !error)
        return false;
    if ((error.name && TIMEOUT_NAMES.has(error.name)) || (error.code && TIMEOUT_CODES.has(error.code)))
        return true;
    return typeof error.cause === 'object' && error.cause !== null && isTimeout(error.cause, depth + 1);
}
/** Maps any error from a GitHub request to a blocker code (SPEC §8), naming a missing permission when GitHub says which. */
function classifyApiError(raw, what) {
    const error = (raw ?? {});
    if (raw instanceof FirewallError)
        return { code: 'FORBIDDEN_OPERATION', message: `${what}: refused by the request firewall: ${raw.message}`, ambiguous: false };
    const status = typeof error.status === 'number' ? error.status : undefined;
    const headers = error.response?.headers ?? {};
    const text = `${error.message ?? ''}`.slice(0, 300);
    // Octokit reports a transport failure as status 500 with the cause attached: look at the cause first.
    if (isTimeout(error))
        return { code: 'API_TIMEOUT', message: `${what}: no answer in time (${text || error.name})`, ambiguous: true };
    if (status === undefined) {
        return { code: 'API_FAILED', message: `${what}: ${text || 'request failed'}`, ambiguous: true };
    }
    if (status === 401)
        return { code: 'AUTH_FAILED', message: `${what}: bad credentials (401)`, status, ambiguous: false };
    if (status === 429 || (status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(text))))
        return { code: 'RATE_LIMITED', message: `${what}: rate limited (${status})`, status, ambiguous: false };
    if (status === 403) {
        const needed = headers['x-accepted-github-permissions'];
        return { code: 'AUTH_FAILED', message: `${what}: the token lacks permission${needed ? ` (needs ${needed})` : ''} (403)`, status, ambiguous: false };
    }
    if (status === 408 || status === 504)
        return { code: 'API_TIMEOUT', message: `${what}: GitHub timed out (${status})`, status, ambiguous: true };
    return { code: 'API_FAILED', message: `${what}: GitHub answered ${status}${text ? `: ${text}` : ''}`, status, ambiguous: status >= 500 };
}

/** A failure a handler decided on (a refusal, or a classified API error), with a note for the report. */
class Failure extends Error {
    failure;
    note;
    constructor(failure, note) {
        super(failure.message);
        this.failure = failure;
        this.note = note;
    }
}
/** A refusal: nothing was sent, and a re-run would refuse again until someone acts. */
function refusal(code, message, note) {
    return new Failure({ code, message, ambiguous: false }, note);
}
/** GitHub may store a body with CRLF line ends or without trailing white space: compare what renders. */
const sameText = (remote, ours) => (remote ?? '').replace(/\r\n?/g, '\n').trimEnd() === ours.replace(/\r\n?/g, '\n').trimEnd();
/** What a write's note says about CI when the workflow token opened a PR or pushed a branch (README: "Draft PRs from agent changes"). */
const CI_NOTE = 'made with the workflow token, so GitHub does not start other workflows for it (on: push, on: pull_request): CI has not run; use a PAT or GitHub App token as github-token, or start CI with workflow_dispatch or by hand (README: "Draft PRs from agent changes")';

/**
 * The branch write (SPEC §7, issue 6): an agent's `changes` become one commit on a branch, made through
 * the Git Data API (the agent job cannot push).
 *
 * - Blobs (UTF-8 or base64 as each file says), a tree on top of the parent commit's tree (`base_tree`;
 *   deleted files are entries with `sha: null`), a commit with parents [parent], then the ref.
 * - A new branch starts at the LIVE tip of the base branch. An existing branch is only fast-forwarded,
 *   and only when its tip commit is ours: its message ends with our trailer for this write's key
 *   (`Publish-Gate: v1 key=<key> mac=<mac>`, the MAC verified with `ledger-key` when one is set) and
 *   GitHub names our identity as its author. A protected branch, a tip someone else made, or a ref
 *   that moves while we write are refused (`BRANCH_NOT_ALLOWED`); the ref update says `force: false`.
 * - A later envelope for the same branch is applied on top of the tip (files it no longer names stay as
 *   they are; removing one takes `deleted: true`). When the result is the tip's tree, nothing is written
 *   (`unchanged`): a re-run of the same envelope makes no commit. That is seen without writing, from
 *   the git blob SHAs of the files and the tip's tree (one recursive tree read).
 * - Blobs, trees and commits are unreferenced until the ref moves, so a failure while making them
 *   changes nothing visible; an ambiguous answer to the ref write is reconciled by reading the branch
 *   again: a tip that is our commit, or that already holds the intended files, is done.
 * - The agent's message is untrusted text: invisible and control characters removed per line,
 *   closing keywords and mentions shown as code (a commit message closes issues when merged), trailer-
 *   like lines dropped, secrets redacted; our trailer is always the last line.
 */
const encodePath$1 = (path) => path.split('/').map(encodeURIComponent).join('/');
const short$1 = (sha) => sha.slice(0, 7);
/** Git's object id of a blob: sha1 over `blob <size>\0<bytes>`. */
function gitBlobSha(bytes) {
    return createHash('sha1').update(`blob ${bytes.length}\u0000`).update(bytes).digest('hex');
}
function bytesOf(file) {
    return file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : Buffer.from(file.content, 'utf8');
}
/** Ranges shown as code: closing references and mentions (none allowed in a commit message). */
function neutralize(line) {
    const folded = foldWidth(line);
    const ranges = mergeRanges([...findClosingReferences(folded), ...findMentions(line, normalizeMentions([]))]);
    let out = '';
    let at = 0;
    for (const r of ranges) {
        out += `${line.slice(at, r.start)}\`${line.slice(r.start, r.end).replaceAll('`', '')}\``;
        at = r.end;
    }
    return out + line.slice(at);
}
/** The commit message: the agent's text made safe line by line, redacted, then our trailer as the last line. */
async function renderCommitMessage(content, message, key, ledgerKey) {
    const lines = message
        .replace(/\r\n?/g, '\n')
        .split('\n')
        .map((line) => sanitizePlain(line))
        .filter((line) => !looksLikeTrailer(line))
        .map(neutralize);
    while (lines.length && !lines[0])
        lines.shift();
    while (lines.length && !lines.at(-1))
        lines.pop();
    const text = (await content.redacted(lines.join('\n').replace(/\n{3,}/g, '\n\n'))).trim() || 'Agent changes';
    return `${text}\n\n${commitTrailer(key, ledgerKey)}`;
}
async function branchHandler(ctx, entry, p) {
    const { client, owner, repo } = ctx;
    const message = await renderCommitMessage(ctx.content, p.message, entry.key, ctx.ledgerKey);
    const files = p.files.map((file) => 'content' in file
        ? { path: file.path, deleted: false, mode: file.mode, encoding: file.encoding, content: file.content, sha: gitBlobSha(bytesOf(file)) }
        : { path: file.path, deleted: true });
    /** The state `find` saw, used once by the write that follows it. */
    let observed;
    /** The commit this run made, to recognise it after an ambiguous answer. */
    let made;
    const getBranch = async (name) => {
        try {
            const { data } = await client.request(`GET /repos/{owner}/{repo}/branches/${encodePath$1(name)}`, { owner, repo });
            return data;
        }
        catch (error) {
            if (error.status === 404)
                return undefined;
            throw error;
        }
    };
    const read = async () => {
        const b = await getBranch(p.branch);
        if (!b)
            return { exists: false };
        const me = await ctx.identity();
        const tip = b.commit;
        // Ours: the last line is our trailer for this key (valid MAC) and GitHub links the author to us.
        const ours = commitCarriesMarker(tip.commit.message, entry.key, ctx.ledgerKey) && isIdentity(tip.author, me);
        return { exists: true, protected: b.protected, ours, sha: tip.sha, tree: tip.commit.tree.sha, ...(tip.html_url ? { url: tip.html_url } : {}) };
    };
    const refuseIfNotOurs = (state) => {
        if (!state.exists)
            return;
        if (state.protected)
            throw refusal('BRANCH_NOT_ALLOWED', `branch ${p.branch} is protected; Publish Gate never writes to a protected branch`, 'refused: protected branch');
        if (!state.ours)
            throw refusal('BRANCH_NOT_ALLOWED', `branch ${p.branch} exists and its tip ${short$1(state.sha)} is not a Publish Gate commit for this write (someone else pushed, or the branch diverged); it is only ever fast-forwarded from our own commit`, 'refused: the branch tip is not ours');
    };
    /** Trees never change (a SHA names its content): each is listed at most once. */
    const listings = new Map();
    /** Entries of a tree by path (blobs and trees), or undefined when GitHub cut the listing. */
    const listTree = async (sha) => {
        if (listings.has(sha))
            return listings.get(sha);
        const { data } = await client.rest.git.getTree({ owner, repo, tree_sha: sha, recursive: '1' });
        const listing = data.truncated
            ? undefined
            : new Map(data.tree.filter((e) => typeof e.path === 'string').map((e) => [e.path, { path: e.path, mode: e.mode ?? '', type: e.type ?? '', sha: e.sha ?? '' }]));
        listings.set(sha, listing);
        return listing;
    };
    /** Whether a file already is what the change asks for in this tree. */
    const inPlace = (tree, f) => {
        const e = tree.get(f.path);
        return f.deleted ? e === undefined : e?.type === 'blob' && e.sha === f.sha && e.mode === f.mode;
    };
    const objects = async (what, make) => {
        try {
            return await make();
        }
        catch (error) {
            const failure = classifyApiError(error, what);
            // Unreferenced objects change nothing anyone sees: not ambiguous, a re-run makes them again.
            throw new Failure({ ...failure, ambiguous: false, message: `${failure.message} (the branch was not changed)` });
        }
    };
    const publish = async () => {
        const state = observed ?? (await read());
        observed = undefined;
        refuseIfNotOurs(state);
        let parent;
        let baseTree;
        if (state.exists) {
            parent = state.sha;
            baseTree = state.tree;
        }
        else {
            const base = await getBranch(p.base);
            if (!base)
                throw new Failure({ code: 'API_FAILED', message: `base branch ${p.base} was not found`, ambiguous: false });
            parent = base.commit.sha;
            baseTree = base.commit.commit.tree.sha;
        }
        const listing = await listTree(baseTree);
        // Files already in place are left out; a deletion of a path that is not there is dropped (GitHub refuses it).
        const needed = listing ? files.filter((f) => !inPlace(listing, f)) : files;
        if (state.exists && needed.length === 0)
            return { id: state.sha, ...(state.url ? { url: state.url } : {}), unchanged: true, note: 'the branch already holds these changes' };
        const tree = [];
        for (const f of needed) {
            if (f.deleted) {
                tree.push({ path: f.path, mode: '100644', type: 'blob', sha: null });
                continue;
            }
            const { data } = await objects(`create blob for ${f.path}`, () => client.rest.git.createBlob({ owner, repo, content: f.content, encoding: f.encoding === 'base64' ? 'base64' : 'utf-8' }));
            tree.push({ path: f.path, mode: f.mode, type: 'blob', sha: data.sha });
        }
        const newTree = (await objects('create tree', () => client.rest.git.createTree({ owner, repo, base_tree: baseTree, tree }))).data.sha;
        if (state.exists && newTree === state.tree)
            return { id: state.sha, ...(state.url ? { url: state.url } : {}), unchanged: true, note: 'same tree as the branch tip: no commit made' };
        const commit = (await objects('create commit', () => client.rest.git.createCommit({ owner, repo, message, tree: newTree, parents: [parent] }))).data;
        made = commit.sha;
        try {
            if (state.exists)
                await client.request(`PATCH /repos/{owner}/{repo}/git/refs/heads/${encodePath$1(p.branch)}`, { owner, repo, sha: commit.sha, force: false });
            else
                await client.rest.git.createRef({ owner, repo, ref: `refs/heads/${p.branch}`, sha: commit.sha });
        }
        catch (error) {
            const status = error.status;
            if (status === 422 || status === 409) {
                const said = String(error.message ?? '').slice(0, 200);
                throw refusal('BRANCH_NOT_ALLOWED', state.exists
                    ? `GitHub refused to move branch ${p.branch} from ${short$1(parent)} (${status}: ${said}): it moved since it was read (not a fast-forward), or a rule protects it; it is never forced`
                    : `GitHub refused to create branch ${p.branch} (${status}: ${said}): someone else created it meanwhile, or a rule protects it`, 'refused: the branch moved or is protected');
            }
            throw error;
        }
        return { id: commit.sha, url: commit.html_url, note: await notes(commit.verification) };
    };
    const notes = async (verification) => {
        const signed = verification?.verified ? 'commit signed by GitHub (verified)' : `commit not signed (verification: ${verification?.reason ?? 'unknown'})`;
        return (await ctx.identity()) === WORKFLOW_IDENTITY ? `${signed}; ${CI_NOTE}` : signed;
    };
    return {
        async find() {
            const state = await read();
            refuseIfNotOurs(state);
            if (!state.exists) {
                observed = state;
                return undefined;
            }
            const at = { id: state.sha, ...(state.url ? { url: state.url } : {}) };
            // After an ambiguous ref write: our own commit at the tip means the write happened.
            if (made && state.sha === made)
                return { ...at, same: true };
            const listing = await listTree(state.tree);
            const same = listing !== undefined && files.every((f) => inPlace(listing, f));
            observed = state;
            return { ...at, same };
        },
        create: publish,
        update: publish,
    };
}

/** Rows shown before the rest of a findings table is folded into `<details>`. */
const VISIBLE_ROWS = 20;
/** Check-run annotations per request (GitHub's cap). */
const ANNOTATION_BATCH = 50;
const PATH_LIMIT = { chars: 4096, bytes: 4096 };
const HEADING = '### Publish Gate';
/** `limit` less the marker line and its newline. */
function minus(limit, marker) {
    const n = Buffer.byteLength(marker, 'utf8') + 2;
    return { chars: limit.chars - n, bytes: limit.bytes - n };
}
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;
async function cell(content, text, limit = Limits.title) {
    return markdownCell(await content.plain(text, limit));
}
/** A body of 65,536 characters holds at most about 2,000 rows: more are never rendered (the cut would drop them). */
const MAX_TABLE_ROWS = 2000;
async function findingRows(content, findings) {
    const listed = findings.slice(0, MAX_TABLE_ROWS);
    const span = (f) => (f.endLine !== undefined && f.endLine !== f.startLine ? `${f.startLine}-${f.endLine}` : `${f.startLine}`);
    // Two short texts per finding, redacted in batches (see ContentPipeline.plainMany).
    const locations = await content.plainMany(listed.map((f) => `${f.path}:${span(f)}`), PATH_LIMIT);
    const titles = await content.plainMany(listed.map((f) => f.title), Limits.title);
    return listed.map((f, i) => `| ${f.severity} | ${markdownCell(locations[i])} | ${markdownCell(titles[i])} |`);
}
const HEADER = ['| Severity | Location | Finding |', '| --- | --- | --- |'];
const unlistedLine = (n) => `_${plural(n, 'more finding')} not listed: a body cannot hold them._`;
/** `limit` less what `parts` take, joined with blank lines as the body joins them, one more join included. */
function leftAfter(limit, parts) {
    const used = measure(`${parts.filter(Boolean).join('\n\n')}\n\n`);
    return { chars: limit.chars - used.chars, bytes: limit.bytes - used.bytes };
}
/**
 * A findings table within `budget`, the first {@link VISIBLE_ROWS} rows shown and the rest folded.
 * Rows are added while they fit and the rest are counted as not listed, so the body is never cut
 * inside the table: cutting a table of thousands of rows by its Markdown structure means parsing it,
 * which took seconds (the body is still cut by the pipeline if redaction makes it longer).
 */
async function findingsTable(content, findings, budget) {
    if (findings.length === 0)
        return '';
    const rows = await findingRows(content, findings);
    // The folding around the rest and the last line, counted with the widest numbers they can hold.
    const wrapper = measure(`\n\n<details><summary>${plural(findings.length, 'more finding')}</summary>\n\n${HEADER.join('\n')}\n\n${unlistedLine(findings.length)}\n\n</details>`);
    let chars = measure(HEADER.join('\n')).chars + wrapper.chars;
    let bytes = measure(HEADER.join('\n')).bytes + wrapper.bytes;
    let listed = 0;
    for (const row of rows) {
        const size = measure(row);
        if (chars + size.chars + 1 > budget.chars || bytes + size.bytes + 1 > budget.bytes)
            break;
        chars += size.chars + 1;
        bytes += size.bytes + 1;
        listed++;
    }
    const unlisted = findings.length - listed;
    if (listed === 0)
        return unlistedLine(unlisted).replace('more finding', 'finding');
    const shown = [...HEADER, ...rows.slice(0, Math.min(listed, VISIBLE_ROWS))].join('\n');
    const more = unlisted > 0 ? `\n\n${unlistedLine(unlisted)}` : '';
    if (listed <= VISIBLE_ROWS)
        return `${shown}${more}`;
    const rest = rows.slice(VISIBLE_ROWS, listed);
    return `${shown}\n\n<details><summary>${plural(findings.length - VISIBLE_ROWS, 'more finding')}</summary>\n\n${[...HEADER, ...rest].join('\n')}${more}\n\n</details>`;
}
function droppedLine(dropped) {
    const parts = Object.entries(dropped)
        .filter(([, n]) => n > 0)
        .map(([reason, n]) => `${n} ${reason}`);
    return parts.length ? `<sub>Not published: ${parts.join(', ')}.</sub>` : '';
}
async function summaryBlock(content, summary, limit = Limits.body) {
    return summary.trim() ? content.markdown(summary, limit) : content.composed('_No summary._', limit);
}
/** Our Markdown around already-sanitized pieces: redacted and cut, then the marker first. */
async function withMarker(content, marker, parts, limit) {
    return content.marked(marker, await content.composed(parts.filter(Boolean).join('\n\n'), minus(limit, marker)));
}
/** The sticky comment: summary, findings table with folded overflow, dropped counts. */
async function renderComment(content, p, key, ledgerKey) {
    const marker = markerLine(key, ledgerKey);
    const head = [HEADING, await summaryBlock(content, p.summary), p.findings.length ? `**${plural(p.findings.length, 'finding')}**` : ''];
    const dropped = droppedLine(p.dropped);
    const table = await findingsTable(content, p.findings, leftAfter(minus(Limits.body, marker), [...head, dropped]));
    return withMarker(content, marker, [...head, table, dropped], Limits.body);
}
/** A review: inline comments for `inline` findings (unless `foldAll`), the others folded into the body. */
async function renderReview(content, p, key, options = {}) {
    const inline = options.foldAll ? [] : p.findings.filter((f) => f.inline);
    const folded = options.foldAll ? p.findings : p.findings.filter((f) => !f.inline);
    const comments = [];
    for (const f of inline) {
        const title = `**${f.severity}**: ${await cell(content, f.title)}`;
        const text = f.body?.trim() ? await content.markdown(f.body, minus(Limits.body, title)) : '';
        const end = f.endLine ?? f.startLine;
        comments.push({
            path: await content.plain(f.path, PATH_LIMIT),
            line: end,
            side: 'RIGHT',
            ...(end > f.startLine ? { start_line: f.startLine, start_side: 'RIGHT' } : {}),
            body: await content.composed(text ? `${title}\n\n${text}` : title, Limits.body),
        });
    }
    const marker = reviewMarkerLine(key, options.ledgerKey);
    const head = [`${HEADING} review`, await summaryBlock(content, p.summary), folded.length ? `**${plural(folded.length, 'finding')} outside inline comments**` : ''];
    const table = await findingsTable(content, folded, leftAfter(minus(Limits.body, marker), head));
    const body = await withMarker(content, marker, [...head, table], Limits.body);
    return { event: options.event ?? p.event, body, comments };
}
const LEVEL = { critical: 'failure', high: 'failure', medium: 'warning', low: 'notice', info: 'notice' };
async function renderCheckRun(content, p, key, ledgerKey) {
    const marker = markerLine(key, ledgerKey);
    const summary = content.marked(marker, await summaryBlock(content, p.summary, minus(Limits.checkRunText, marker)));
    const table = await findingsTable(content, p.findings, Limits.checkRunText);
    const text = table ? await content.composed(table, Limits.checkRunText) : undefined;
    // Three short texts per finding, redacted in batches (see ContentPipeline.plainMany).
    const titles = await content.plainMany(p.findings.map((f) => f.title), Limits.annotationTitle);
    const bodies = await content.plainMany(p.findings.map((f) => f.body?.trim() ?? ''), Limits.annotationMessage);
    const paths = await content.plainMany(p.findings.map((f) => f.path), PATH_LIMIT);
    const annotations = p.findings.map((f, i) => ({
        path: paths[i],
        start_line: f.startLine,
        end_line: f.endLine ?? f.startLine,
        annotation_level: LEVEL[f.severity],
        title: titles[i],
        message: bodies[i] || titles[i],
    }));
    return {
        name: p.name,
        head_sha: p.headSha,
        external_id: key,
        conclusion: p.conclusion,
        output: { title: await content.plain(p.title, Limits.title), summary, ...(text ? { text } : {}) },
        annotations,
    };
}
async function renderStatus(content, p) {
    return { sha: p.sha, context: p.context, state: p.state, description: await content.plain(p.description, Limits.statusDescription) };
}
async function renderPullRequest(content, p, key, ledgerKey) {
    const marker = markerLine(key, ledgerKey);
    const body = await content.markdown(p.body, minus(Limits.body, marker));
    return { title: await content.plain(p.title, Limits.title), body: content.marked(marker, body) };
}

/** An in-memory journal: what `result` records as done or unchanged becomes `known`. */
class MemoryJournal {
    events = [];
    state = new Map();
    constructor(initial = {}) {
        for (const [key, value] of Object.entries(initial))
            this.state.set(key, { ...value });
    }
    known(key) {
        const value = this.state.get(key);
        return value ? { ...value } : undefined;
    }
    async intent(entry) {
        this.events.push({ type: 'intent', key: entry.key, kind: entry.kind });
    }
    async result(record) {
        this.events.push({ type: 'result', record: { ...record } });
        if ((record.status === 'done' || record.status === 'unchanged') && record.digest) {
            const previous = this.state.get(record.key);
            const id = record.id ?? previous?.id;
            const url = record.url ?? previous?.url;
            this.state.set(record.key, { digest: record.digest, ...(id !== undefined ? { id } : {}), ...(url !== undefined ? { url } : {}) });
        }
    }
    records() {
        return this.events.flatMap((e) => (e.type === 'result' ? [e.record] : []));
    }
}

const DEFAULT_IDENTITY = WORKFLOW_IDENTITY;
async function executePlan(args) {
    const [owner = '', repo = ''] = args.repository.split('/');
    const { identity = DEFAULT_IDENTITY } = args;
    const ctx = {
        client: args.client,
        owner,
        repo,
        content: args.content,
        ledgerKey: args.ledgerKey || undefined,
        identity: typeof identity === 'string' ? () => Promise.resolve(identity) : identity,
        lookups: args.lookups,
    };
    const rank = (e) => WRITE_ORDER.indexOf(e.kind);
    const entries = args.plan.entries
        .map((entry, i) => ({ entry, i }))
        .filter(({ entry }) => entry.allowed)
        .sort((a, b) => rank(a.entry) - rank(b.entry) || a.i - b.i)
        .map(({ entry }) => entry);
    const records = [];
    for (const entry of entries) {
        const record = await runEntry(ctx, args, entry);
        records.push(record);
        await args.journal.result(record);
        if (record.status === 'failed' || record.status === 'ambiguous')
            return { records, failed: true };
    }
    return { records, failed: false };
}
async function runEntry(ctx, args, entry) {
    const base = { kind: entry.kind, key: entry.key, digest: entry.digest };
    if (entry.action === 'skip') {
        const known = args.journal.known(entry.key);
        return { ...base, status: 'unchanged', ...(known?.id !== undefined ? { id: known.id } : {}), ...(known?.url ? { url: known.url } : {}) };
    }
    const payload = args.plan.payloads[entry.key];
    if (!payload || payload.kind !== entry.kind) {
        return { ...base, status: 'failed', error: { code: 'API_FAILED', message: `no ${entry.kind} payload for ${entry.key}`, ambiguous: false } };
    }
    let handler;
    try {
        handler = await handlerFor(ctx, entry, payload);
    }
    catch (error) {
        return { ...base, status: 'failed', error: failureOf(error, `render ${entry.kind}`) };
    }
    if (typeof handler === 'string') {
        return { ...base, status: 'failed', note: handler, error: { code: 'FORBIDDEN_OPERATION', message: `${entry.kind}: ${handler}`, ambiguous: false } };
    }
    return idempotentWrite(args, entry, handler, base);
}
function failureOf(error, what) {
    return error instanceof Failure ? error.failure : classifyApiError(error, what);
}
const noteOf = (error) => (error instanceof Failure && error.note ? { note: error.note } : {});
async function idempotentWrite(args, entry, h, base) {
    const at = (r) => ({
        ...(r.id !== undefined ? { id: r.id } : {}),
        ...(r.url ? { url: r.url } : {}),
    });
    const known = args.journal.known(entry.key);
    let target;
    if (known && (known.digest === entry.digest || h.once))
        return { ...base, status: 'unchanged', ...at(known) };
    if (known?.id !== undefined && h.update)
        target = { id: known.id, ...(known.url ? { url: known.url } : {}) };
    if (!target) {
        let found;
        try {
            found = await h.find();
        }
        catch (error) {
            return { ...base, status: 'failed', error: failureOf(error, `look up ${entry.kind}`), ...noteOf(error) };
        }
        if (found && (found.same || h.once))
            return { ...base, status: 'unchanged', ...at(found) };
        if (found?.id !== undefined && h.update)
            target = { id: found.id, ...(found.url ? { url: found.url } : {}) };
    }
    await args.journal.intent(entry);
    try {
        const written = target && h.update ? await h.update(target) : await h.create();
        return { ...base, status: written.unchanged ? 'unchanged' : 'done', ...at(written), ...(written.note ? { note: written.note } : {}) };
    }
    catch (error) {
        const failure = failureOf(error, `${target ? 'update' : 'create'} ${entry.kind}`);
        if (!failure.ambiguous)
            return { ...base, status: 'failed', error: failure, ...noteOf(error) };
        // GitHub may have acted: look again rather than retry.
        let again;
        try {
            again = await h.find();
        }
        catch {
            again = undefined;
        }
        if (again?.same)
            return { ...base, status: 'done', ...at(again), note: `reconciled after an ambiguous answer (${failure.code})` };
        return { ...base, status: 'ambiguous', error: failure, note: 'GitHub may have acted on the write; a re-run reconciles it' };
    }
}
async function handlerFor(ctx, entry, payload) {
    switch (payload.kind) {
        case 'branch':
            return branchHandler(ctx, entry, payload);
        case 'pull-request':
            return payload.number ? pullRequestHandler(ctx, entry, payload) : newPullRequestHandler(ctx, entry, payload);
        case 'comment':
            return commentHandler(ctx, entry, payload);
        case 'review':
            return reviewHandler(ctx, entry, payload);
        case 'check-run':
            return checkRunHandler(ctx, entry, payload);
        case 'status':
            return statusHandler(ctx, payload);
        case 'labels':
            return labelsHandler(ctx, payload);
    }
}
async function commentHandler(ctx, entry, p) {
    const { client, owner, repo } = ctx;
    const body = await renderComment(ctx.content, p, entry.key, ctx.ledgerKey);
    return {
        async find() {
            const me = await ctx.identity();
            const comments = await client.paginate(client.rest.issues.listComments, { owner, repo, issue_number: p.number, per_page: 100 });
            // Ours: authored by our identity and starting with a valid marker for this key. A copied marker
            // in someone else's comment is ignored, and that comment is never edited.
            const mine = comments.find((c) => isIdentity(c.user, me) && carriesMarker(c.body, entry.key, ctx.ledgerKey));
            return mine ? { id: mine.id, url: mine.html_url, same: sameText(mine.body, body) } : undefined;
        },
        async create() {
            const { data } = await client.rest.issues.createComment({ owner, repo, issue_number: p.number, body });
            return { id: data.id, url: data.html_url };
        },
        async update(target) {
            const { data } = await client.rest.issues.updateComment({ owner, repo, comment_id: Number(target.id), body });
            return { id: data.id, url: data.html_url };
        },
    };
}
function reviewRefusal(error) {
    const e = error;
    if (e?.status !== 422)
        return undefined;
    const text = `${e.message ?? ''} ${JSON.stringify(e.response?.data ?? '')}`;
    if (/own pull request/i.test(text))
        return 'own-pull-request';
    if (/part of the (pull request )?diff|could not be resolved|pull_request_review_thread|line must be/i.test(text))
        return 'outside-diff';
    return undefined;
}
async function reviewHandler(ctx, entry, p) {
    const { client, owner, repo } = ctx;
    const first = await renderReview(ctx.content, p, entry.key, { ...(ctx.ledgerKey ? { ledgerKey: ctx.ledgerKey } : {}) });
    let listed = ctx.lookups?.reviewsOf(p.number);
    return {
        once: true,
        async find() {
            const me = await ctx.identity();
            // The first look may use the list the epoch reconcile read; a reconcile after an ambiguous answer reads again.
            const reviews = listed ?? (await client.paginate(client.rest.pulls.listReviews, { owner, repo, pull_number: p.number, per_page: 100 }));
            listed = undefined;
            const mine = reviews.find((r) => isIdentity(r.user, me) && carriesMarker(r.body, entry.key, ctx.ledgerKey));
            return mine ? { id: mine.id, url: mine.html_url, same: true } : undefined;
        },
        async create() {
            let review = first;
            const notes = [];
            let event = first.event;
            let foldAll = false;
            // At most one retry per known refusal; anything else fails as it is.
            for (;;) {
                try {
                    const { data } = await client.rest.pulls.createReview({
                        owner,
                        repo,
                        pull_number: p.number,
                        commit_id: p.commitId,
                        event: review.event,
                        body: review.body,
                        ...(review.comments.length ? { comments: review.comments } : {}),
                    });
                    return { id: data.id, url: data.html_url, ...(notes.length ? { note: notes.join('; ') } : {}) };
                }
                catch (error) {
                    const refusal = reviewRefusal(error);
                    if (refusal === 'own-pull-request' && event === 'REQUEST_CHANGES') {
                        event = 'COMMENT';
                        notes.push('GitHub refused REQUEST_CHANGES on a pull request of the token’s own identity; posted as COMMENT');
                    }
                    else if (refusal === 'outside-diff' && !foldAll && review.comments.length > 0) {
                        foldAll = true;
                        notes.push('an inline comment was outside the diff; all inline comments were folded into the review body');
                    }
                    else
                        throw error;
                    review = await renderReview(ctx.content, p, entry.key, { ...(ctx.ledgerKey ? { ledgerKey: ctx.ledgerKey } : {}), event, foldAll });
                }
            }
        },
    };
}
async function checkRunHandler(ctx, entry, p) {
    const { client, owner, repo } = ctx;
    const run = await renderCheckRun(ctx.content, p, entry.key, ctx.ledgerKey);
    const batches = [];
    for (let i = 0; i < run.annotations.length; i += ANNOTATION_BATCH)
        batches.push(run.annotations.slice(i, i + ANNOTATION_BATCH));
    // The first look may use the list the facts read; any later look (a reconcile) reads again.
    let listed = ctx.lookups?.checkRunsOf(p.headSha);
    const latest = async () => {
        const runs = listed ?? (await client.paginate(client.rest.checks.listForRef, { owner, repo, ref: p.headSha, check_name: p.name, filter: 'all', per_page: 100 }));
        listed = undefined;
        const me = await ctx.identity();
        // Ours: our key as external_id and made by our app; another app's run with a copied id is ignored.
        return runs.filter((r) => r.name === p.name && r.external_id === entry.key && isIdentityApp(r.app, me)).sort((a, b) => b.id - a.id)[0];
    };
    const sameAs = (r, annotations) => r.status === 'completed' &&
        r.conclusion === run.conclusion &&
        r.output.title === run.output.title &&
        sameText(r.output.summary, run.output.summary) &&
        sameText(r.output.text, run.output.text ?? '') &&
        r.output.annotations_count === annotations;
    const patch = async (id, annotations) => 
    // Annotations add up on every update: never retried, so a batch is never sent twice.
    client.rest.checks.update({ owner, repo, check_run_id: id, output: { ...run.output, annotations }, request: { retries: 0 } });
    return {
        async find() {
            const r = await latest();
            return r ? { id: r.id, url: r.html_url ?? undefined, same: sameAs(r, run.annotations.length) } : undefined;
        },
        async create() {
            let id;
            let url;
            let note;
            try {
                const { data } = await client.rest.checks.create({
                    owner,
                    repo,
                    name: run.name,
                    head_sha: run.head_sha,
                    external_id: run.external_id,
                    status: 'completed',
                    conclusion: run.conclusion,
                    output: { ...run.output, ...(batches[0] ? { annotations: batches[0] } : {}) },
                });
                id = data.id;
                url = data.html_url ?? undefined;
            }
            catch (error) {
                const failure = classifyApiError(error, 'create check-run');
                if (!failure.ambiguous)
                    throw new Failure(failure);
                // The run may exist with the first batch: continue with it only when it does.
                const found = await latest().catch(() => undefined);
                if (!found || !sameAs(found, batches[0]?.length ?? 0))
                    throw new Failure(failure);
                id = found.id;
                url = found.html_url ?? undefined;
                note = `reconciled after an ambiguous answer (${failure.code})`;
            }
            for (const batch of batches.slice(1))
                await patch(id, batch);
            return { id, ...(url ? { url } : {}), ...(note ? { note } : {}) };
        },
    };
}
async function statusHandler(ctx, p) {
    const { client, owner, repo } = ctx;
    const status = await renderStatus(ctx.content, p);
    return {
        async find() {
            const me = await ctx.identity();
            const statuses = await client.paginate(client.rest.repos.listCommitStatusesForRef, { owner, repo, ref: p.sha, per_page: 100 });
            // Newest first: our latest status for the context is the one GitHub shows for us.
            const mine = statuses.find((s) => s.context === status.context && isIdentity(s.creator, me));
            return mine ? { id: mine.id, url: mine.url, same: mine.state === status.state && (mine.description ?? '') === status.description } : undefined;
        },
        async create() {
            const { data } = await client.rest.repos.createCommitStatus({
                owner,
                repo,
                sha: status.sha,
                context: status.context,
                state: status.state,
                description: status.description,
            });
            return { id: data.id, url: data.url };
        },
    };
}
async function labelsHandler(ctx, p) {
    const { client, owner, repo } = ctx;
    // The label is one the policy lists (LABEL_NOT_ALLOWED otherwise), so it is trusted text.
    const wanted = p.label.toLowerCase();
    // The first look may use the labels the PR carried when the facts were read; a reconcile reads again.
    let listed = ctx.lookups?.labelsOf(p.number);
    return {
        once: true,
        async find() {
            const labels = listed ?? (await client.paginate(client.rest.issues.listLabelsOnIssue, { owner, repo, issue_number: p.number, per_page: 100 })).map((l) => l.name);
            listed = undefined;
            return labels.some((name) => name.toLowerCase() === wanted) ? { same: true } : undefined;
        },
        async create() {
            await client.rest.issues.addLabels({ owner, repo, issue_number: p.number, labels: [p.label] });
            return {};
        },
    };
}
async function pullRequestHandler(ctx, entry, p) {
    const { client, owner, repo } = ctx;
    const number = p.number ?? 0;
    const pr = await renderPullRequest(ctx.content, p, entry.key, ctx.ledgerKey);
    const update = async () => {
        const { data } = await client.rest.pulls.update({ owner, repo, pull_number: number, title: pr.title, body: pr.body });
        return { id: data.number, url: data.html_url };
    };
    return {
        async find() {
            const { data } = await client.rest.pulls.get({ owner, repo, pull_number: number });
            return { id: data.number, url: data.html_url, same: data.title === pr.title && sameText(data.body, pr.body) };
        },
        create: update,
        update,
    };
}
/**
 * A pull request for an agent branch (no number in the payload). Ours: opened by our identity with a
 * valid marker for this key. The branch is ours (the branch write ran first), so any PR of it is
 * looked at: an open one of ours is updated; an open one of someone else, or only closed ones, are
 * reported as failures (never edited, never reopened).
 */
async function newPullRequestHandler(ctx, entry, p) {
    const { client, owner, repo } = ctx;
    const pr = await renderPullRequest(ctx.content, p, entry.key, ctx.ledgerKey);
    const full = `${owner}/${repo}`.toLowerCase();
    const ciNote = async () => ((await ctx.identity()) === DEFAULT_IDENTITY ? CI_NOTE : undefined);
    return {
        async find() {
            const me = await ctx.identity();
            const pulls = (await client.paginate(client.rest.pulls.list, { owner, repo, head: `${owner}:${p.head}`, base: p.base, state: 'all', per_page: 100 }));
            // Only PRs from this repository's branch (a fork's branch of the same name is another branch).
            const ofBranch = pulls.filter((x) => x.head.ref === p.head && (!x.head.repo?.full_name || x.head.repo.full_name.toLowerCase() === full));
            const open = ofBranch.filter((x) => x.state === 'open');
            const mine = open.find((x) => isIdentity(x.user, me) && carriesMarker(x.body, entry.key, ctx.ledgerKey));
            if (mine)
                return { id: mine.number, url: mine.html_url, same: mine.title === pr.title && sameText(mine.body, pr.body) };
            if (open[0])
                throw refusal('FORBIDDEN_OPERATION', `pull request #${open[0].number} of ${p.head} was not opened by Publish Gate; it is not edited`, `pull request #${open[0].number} of ${p.head} is someone else's`);
            const closed = ofBranch[0];
            if (closed)
                throw refusal('FORBIDDEN_OPERATION', `pull request #${closed.number} of ${p.head} is closed; Publish Gate never reopens a pull request (use a new branch name to open another)`, `pull request #${closed.number} is closed and was not reopened`);
            return undefined;
        },
        async create() {
            const { data } = await client.rest.pulls.create({ owner, repo, head: p.head, base: p.base, title: pr.title, body: pr.body, draft: p.draft });
            const note = await ciNote();
            return { id: data.number, url: data.html_url, ...(note ? { note } : {}) };
        },
        async update(target) {
            const { data } = await client.rest.pulls.update({ owner, repo, pull_number: Number(target.id), title: pr.title, body: pr.body });
            // Reached by id from the journal without a lookup: a PR closed since then is updated, not reopened.
            return { id: data.number, url: data.html_url, ...(data.state === 'closed' ? { note: `pull request #${data.number} is closed; it was not reopened` } : {}) };
        },
    };
}

/**
 * Where a run's ledger is stored (SPEC §10): the artifact `publish-gate-ledger-<run_id>-<attempt>`
 * and the cache key `publish-gate-ledger-v1-<repository_id>-<scope>-<run_id>-<attempt>`, restored by
 * the prefix without the run part. Cache keys are at most 512 characters and hold no comma (FACTS).
 * Every part is checked, so a name never depends on unchecked text.
 */
const LEDGER_CACHE_KEY_MAX = 512;
const RUN_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const SCOPE = /^[a-z0-9-]{1,64}$/;
function runPart(runId, attempt) {
    const id = String(runId);
    if (!RUN_ID.test(id))
        throw new RangeError(`run id ${JSON.stringify(id).slice(0, 80)} is not 1-64 of [A-Za-z0-9_.-]`);
    if (!Number.isSafeInteger(attempt) || attempt < 1)
        throw new RangeError(`run attempt ${attempt} is not a positive integer`);
    return `${id}-${attempt}`;
}
function checkedKey(key) {
    if (key.length > LEDGER_CACHE_KEY_MAX)
        throw new RangeError(`cache key is ${key.length} characters, over ${LEDGER_CACHE_KEY_MAX}`);
    if (key.includes(','))
        throw new RangeError('cache key contains a comma');
    return key;
}
/** `publish-gate-ledger-<run_id>-<attempt>`. */
function ledgerArtifactName(runId, attempt) {
    return `publish-gate-ledger-${runPart(runId, attempt)}`;
}
/**
 * `publish-gate-ledger-v1-<repository_id>-<scope>-`: the restore prefix. It ends with `-` so that
 * scope `pr-1` never matches the entries of `pr-12`, nor repository 42 those of 421.
 */
function ledgerCachePrefix(repositoryId, scope) {
    if (!Number.isSafeInteger(repositoryId) || repositoryId < 1)
        throw new RangeError(`repository id ${repositoryId} is not a positive integer`);
    if (!SCOPE.test(scope))
        throw new RangeError(`ledger scope ${JSON.stringify(scope).slice(0, 80)} is not 1-64 of [a-z0-9-]`);
    return checkedKey(`publish-gate-ledger-v1-${repositoryId}-${scope}-`);
}
/** `publish-gate-ledger-v1-<repository_id>-<scope>-<run_id>-<attempt>`. */
function ledgerCacheKey(repositoryId, scope, runId, attempt) {
    return checkedKey(`${ledgerCachePrefix(repositoryId, scope)}${runPart(runId, attempt)}`);
}
/**
 * The cache scope of a target: `pr-<number>` when a PR number is known, else `sha-<first 12 of the
 * head SHA>`, else `repo`. A PR number or head SHA of the wrong form throws.
 */
function ledgerScope(target) {
    const { pullRequest, head } = target;
    if (pullRequest != null) {
        if (!Number.isSafeInteger(pullRequest) || pullRequest < 1)
            throw new RangeError(`PR number ${pullRequest} is not a positive integer`);
        return `pr-${pullRequest}`;
    }
    if (head != null) {
        if (!/^[0-9a-fA-F]{40}([0-9a-fA-F]{24})?$/.test(head))
            throw new RangeError('head SHA is not 40 or 64 hex digits');
        return `sha-${head.slice(0, 12).toLowerCase()}`;
    }
    return 'repo';
}

function targetMatches(target, decided) {
    if (target.repository !== undefined && target.repository.toLowerCase() !== decided.repository.toLowerCase())
        return false;
    if (target.pullRequest != null)
        return decided.pullRequest === target.pullRequest;
    if (target.head != null)
        return decided.head === target.head;
    return false;
}
function known(digest, id, url, previous) {
    const keptId = id ?? previous?.id;
    const keptUrl = url ?? previous?.url;
    return { digest, ...(keptId !== undefined ? { id: keptId } : {}), ...(keptUrl !== undefined ? { url: keptUrl } : {}) };
}
/** Folds verified records, oldest first, into a summary of every target. */
function summarize(records) {
    const writes = new Map();
    const epochs = [];
    const seenEpochs = new Set();
    const pending = new Map();
    const addEpoch = (target, epoch) => {
        const id = JSON.stringify([target.repository.toLowerCase(), target.pullRequest, target.head, epoch]);
        if (seenEpochs.has(id))
            return;
        seenEpochs.add(id);
        epochs.push({ target, epoch });
    };
    for (const record of records) {
        switch (record.type) {
            case 'checkpoint':
                writes.clear();
                pending.clear();
                for (const [k, w] of Object.entries(record.writes))
                    writes.set(k, w);
                for (const e of record.epochs)
                    addEpoch(e.target, e.epoch);
                for (const p of record.pending)
                    pending.set(p.key, p);
                break;
            case 'decision':
                if (record.decision === 'published' || record.decision === 'noop')
                    addEpoch(record.target, record.epoch);
                break;
            case 'intent':
                pending.set(record.key, { key: record.key, kind: record.kind, target: record.target, digest: record.digest });
                break;
            case 'write':
                if (record.status === 'done' || record.status === 'unchanged') {
                    writes.set(record.key, known(record.digest, record.id, record.url, writes.get(record.key)));
                    pending.delete(record.key);
                }
                else if (record.status === 'failed')
                    pending.delete(record.key);
                // `ambiguous`: the intent stays pending until a reconcile or a later result settles it.
                break;
            case 'reconcile':
                if (record.found && record.digest)
                    writes.set(record.key, known(record.digest, record.id, record.url, writes.get(record.key)));
                pending.delete(record.key);
                break;
        }
    }
    return { writes: Object.fromEntries(writes), epochs, pending: [...pending.values()] };
}
/**
 * What earlier runs published for `target`, from verified records (oldest first). Writes are keyed by
 * idempotency key, which already names the repository, kind and target; a later `failed` or
 * `ambiguous` result never erases an earlier `done`.
 */
function stateFromLedger(records, target, trust = 'trusted') {
    const summary = summarize(records);
    return {
        trust,
        epochs: summary.epochs.filter((e) => targetMatches(target, e.target)).map((e) => e.epoch),
        writes: summary.writes,
        pending: summary.pending,
    };
}

function trustRestored(text, options) {
    if (text === undefined || text === '' || text === '\n')
        return { trust: 'absent' };
    const { key, repositoryId, now, target } = options;
    const result = verifyLedger(text, { key, repositoryId, now });
    if (!result.ok)
        return { trust: 'untrusted', reason: result.reason, firstBadSeq: result.firstBadSeq };
    if (key !== undefined && !result.authenticated)
        return { trust: 'untrusted', reason: 'a key was given but the ledger is not authenticated', firstBadSeq: null };
    if (result.tail === undefined)
        return { trust: 'absent' };
    return {
        trust: 'trusted',
        text,
        tail: result.tail,
        state: stateFromLedger(result.records, target, 'trusted'),
        authenticated: result.authenticated,
        records: result.records,
    };
}

const ZIP_CAPS = {
    entries: 1000,
    entryBytes: Limits$1.envelopeBytes,
    totalBytes: 64 * 1024 * 1024,
};

const ENVELOPE = {
    what: 'envelope',
    missing: 'ENVELOPE_MISSING',
    invalid: 'ENVELOPE_INVALID',
    maxBytes: Limits$1.envelopeBytes,
    candidate: (path) => {
        const base = posix.basename(path);
        return base === 'envelope.json' || isSarifName(base);
    },
    describe: '`envelope.json` or one `*.sarif` file',
    parse: (text, fileName) => envelopeFromText(text, fileName, 'artifact'),
};
const EVIDENCE = {
    what: 'evidence',
    missing: 'EVIDENCE_MISSING',
    invalid: 'EVIDENCE_INVALID',
    maxBytes: Limits$1.evidenceBytes,
    candidate: (path) => posix.basename(path) === 'evidence.json',
    describe: '`evidence.json`',
    parse: (text, fileName) => evidenceFromText(text, fileName, 'artifact'),
};
/**
 * A ledger artifact this action uploaded: one `publish-gate-ledger-*.jsonl` file, up to the ledger's
 * own size limit. Every failure is LEDGER_UNTRUSTED (a warning: state is then reconciled from GitHub).
 */
const LEDGER = {
    what: 'ledger',
    missing: 'LEDGER_UNTRUSTED',
    invalid: 'LEDGER_UNTRUSTED',
    maxBytes: LEDGER_LIMITS.bytes,
    caps: { entries: 4, entryBytes: LEDGER_LIMITS.bytes, totalBytes: LEDGER_LIMITS.bytes },
    candidate: (path) => /^publish-gate-ledger-[A-Za-z0-9_.-]+\.jsonl$/.test(posix.basename(path)),
    describe: '`publish-gate-ledger-*.jsonl`',
    parse: (text) => ({ status: 'ok', value: text, source: 'artifact' }),
};
const DIGEST = /^sha256:[0-9a-f]{64}$/;
/** A zip of `ZIP_CAPS.totalBytes` stored bytes plus its headers. */
const MAX_ZIP_BYTES = ZIP_CAPS.totalBytes + ZIP_CAPS.entries * 1024 + 64 * 1024;
/** The envelope artifact: exactly one `envelope.json` or `*.sarif` / `*.sarif.json` file, at any depth. Never throws. */
function envelopeFromArtifact(store, req) {
    return fromArtifact(store, req, ENVELOPE);
}
/** A ledger artifact of an earlier run (its text, unverified: `trustRestored` judges it). Never throws. */
function ledgerFromArtifact(store, req) {
    return fromArtifact(store, req, LEDGER);
}
/** The evidence artifact: exactly one `evidence.json` file, at any depth. Never throws. */
function evidenceFromArtifact(store, req) {
    return fromArtifact(store, req, EVIDENCE);
}
async function sha256File(path) {
    const hash = createHash('sha256');
    await pipeline$1(createReadStream(path), hash);
    return `sha256:${hash.digest('hex')}`;
}
function apiFailure(error, what, subject) {
    const failure = classifyApiError(error, what);
    const code = failure.code === 'FORBIDDEN_OPERATION' ? 'API_FAILED' : failure.code;
    return { status: 'failed', code, message: failure.message, subject };
}
/** The one artifact to read, or why there is none. Several live artifacts with one name are ambiguous: any run can upload one. */
function choose(listed, req, kind) {
    const fail = (code, message) => ({ status: 'failed', code, message, subject: req.name });
    const live = listed.filter((a) => a.expired !== true);
    const label = `${kind.what} artifact ${JSON.stringify(req.name)}`;
    if (live.length === 0) {
        return fail(kind.missing, listed.length === 0 ? `${label}: run ${req.runId} has no such artifact` : `${label}: every artifact with this name in run ${req.runId} has expired`);
    }
    if (live.length > 1)
        return fail('ARTIFACT_UNSAFE', `${label}: run ${req.runId} lists ${live.length} artifacts with this name, so which one to read is ambiguous`);
    const artifact = live[0];
    if (artifact.name !== req.name)
        return fail('ARTIFACT_UNSAFE', `${label}: GitHub listed an artifact named ${JSON.stringify(artifact.name.slice(0, 100))} instead`);
    if (artifact.runId !== req.runId)
        return fail('ARTIFACT_UNSAFE', `${label}: uploaded by run ${artifact.runId}, not run ${req.runId}`);
    if (!artifact.digest)
        return fail('ARTIFACT_UNSAFE', `${label}: GitHub lists no digest to check the download against`);
    const digest = artifact.digest.toLowerCase();
    if (!DIGEST.test(digest))
        return fail('ARTIFACT_UNSAFE', `${label}: the listed digest is not a sha256 digest`);
    const maxZip = kind.caps ? kind.caps.totalBytes + kind.caps.entries * 1024 + 64 * 1024 : MAX_ZIP_BYTES;
    if (artifact.size > maxZip)
        return fail('ARTIFACT_UNSAFE', `${label}: ${artifact.size} bytes, over the ${maxZip}-byte limit`);
    return { ok: true, artifact: { ...artifact, digest } };
}
async function fromArtifact(store, req, kind) {
    const label = `${kind.what} artifact ${JSON.stringify(req.name)}`;
    const fail = (code, message) => ({ status: 'failed', code, message: `${label}: ${message}`, subject: req.name });
    let listed;
    try {
        listed = await store.list(req.name, req.runId);
    }
    catch (error) {
        return apiFailure(error, `listing ${label} of run ${req.runId}`, req.name);
    }
    const chosen = choose(listed, req, kind);
    if ('status' in chosen)
        return chosen;
    const { artifact } = chosen;
    const made = [];
    try {
        const downloadDir = await mkdtemp(join(req.tempDir, 'artifact-'));
        made.push(downloadDir);
        let download;
        try {
            download = await store.downloadZip(artifact, downloadDir);
        }
        catch (error) {
            return apiFailure(error, `downloading ${label}`, req.name);
        }
        if (dirname(resolve(download.zipPath)) !== resolve(downloadDir))
            return fail('ARTIFACT_UNSAFE', 'the download was not saved where it was asked to be');
        if (download.digestMismatch)
            return fail('ARTIFACT_DIGEST_MISMATCH', `the download does not match the listed digest ${artifact.digest}`);
        const actual = await sha256File(download.zipPath);
        if (actual !== artifact.digest)
            return fail('ARTIFACT_DIGEST_MISMATCH', `the zip's sha256 ${actual} does not match the listed digest ${artifact.digest}`);
        // Loaded here, not at start-up: a run from local files never reads a zip (see zipCaps.ts).
        const { extractZip } = await import('./chunks/zip--467Dp25.js');
        const extracted = await extractZip(download.zipPath, req.tempDir, kind.caps);
        if (!extracted.ok)
            return fail('ARTIFACT_UNSAFE', extracted.reason);
        made.push(extracted.dir);
        const candidates = extracted.files.filter(kind.candidate);
        if (candidates.length === 0)
            return fail(kind.missing, `holds no ${kind.describe}`);
        if (candidates.length > 1) {
            const names = candidates.slice(0, 5).map((c) => JSON.stringify(c)).join(', ');
            return fail('ARTIFACT_UNSAFE', `holds ${candidates.length} candidate files (${names}${candidates.length > 5 ? ', …' : ''}); expected exactly one ${kind.describe}`);
        }
        const fileName = candidates[0];
        const read = await readTextFile(join(extracted.dir, ...fileName.split('/')), kind.maxBytes);
        if (!read.ok)
            return fail(read.reason === 'missing' ? kind.missing : kind.invalid, read.message.replaceAll(`${extracted.dir}/`, ''));
        const loaded = kind.parse(read.text, fileName);
        if (loaded.status !== 'ok')
            return { ...loaded, subject: loaded.subject ?? req.name };
        const provenance = { artifactId: artifact.id, runId: artifact.runId, digest: artifact.digest };
        if (artifact.headSha !== undefined)
            provenance.headSha = artifact.headSha;
        if (artifact.headRepositoryId !== undefined)
            provenance.headRepositoryId = artifact.headRepositoryId;
        return { ...loaded, provenance };
    }
    catch (error) {
        const text = error instanceof Error ? error.message : String(error);
        return fail('ARTIFACT_UNSAFE', `could not be processed: ${text.slice(0, 200)}`);
    }
    finally {
        for (const dir of made)
            await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    }
}

/** A storage failure as one short line: the first line, without control characters, capped. */
function short(text) {
    const line = text.split(/[\r\n]/, 1)[0] ?? '';
    const clean = line.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
    return clean.length > 200 ? `${clean.slice(0, 199)}…` : clean || 'unknown error';
}
function message(error) {
    return short(error instanceof Error ? error.message : String(error));
}
/**
 * Uploads the artifact, then saves the cache entry that points to it (only when the upload
 * succeeded). A refusal of either is a note, never an exception: the run does not fail because the
 * ledger could not be stored (SPEC §10). A port that throws anyway is treated as a failure of that
 * step.
 */
async function persistLedger(storage, options) {
    const notes = [];
    const result = { persisted: false, notes };
    try {
        const upload = await storage.upload(options.artifactName, options.path, options.retentionDays);
        if (upload.ok) {
            result.persisted = true;
            result.artifactId = upload.id;
        }
        else
            notes.push(`ledger artifact not uploaded: ${short(upload.reason)}`);
    }
    catch (error) {
        notes.push(`ledger artifact not uploaded: ${message(error)}`);
    }
    // The cache entry only indexes the artifact: without the artifact it would point the next run at
    // nothing, and that run would drop the older, good ledger it can still find.
    if (result.artifactId === undefined) {
        notes.push('ledger cache not saved: the ledger artifact it would point to was not uploaded');
        return result;
    }
    try {
        const save = await storage.save(options.path, options.cacheKey);
        if (save.ok) {
            result.persisted = true;
            result.cacheKey = options.cacheKey;
        }
        else
            notes.push(`ledger cache not saved: ${short(save.reason)}`);
    }
    catch (error) {
        notes.push(`ledger cache not saved: ${message(error)}`);
    }
    return result;
}
const RUN_PART = /^(\d{1,20})-(\d{1,4})$/;
/**
 * The newest ledger under `prefix`. The cache is the index: the newest key names the run and
 * attempt whose ledger artifact (`publish-gate-ledger-<run_id>-<attempt>`) is then read through the
 * artifact intake: listed for exactly that run, digest checked, archive inspected before anything is
 * extracted. Cache archives themselves are never extracted: @actions/cache untars with `-P`, so an
 * entry saved by any job of the repository could place files anywhere on the runner. Never throws.
 */
async function restoreLedger(storage, artifacts, options) {
    let key;
    try {
        key = await storage.lookup(options.prefix);
    }
    catch {
        key = undefined;
    }
    if (key === undefined)
        return {};
    const run = key.startsWith(options.prefix) ? RUN_PART.exec(key.slice(options.prefix.length)) : null;
    if (!run)
        return { key, problem: `cache key ${short(key).slice(0, 120)} is not a ledger key of this prefix` };
    const [runId, attempt] = [Number(run[1]), Number(run[2])];
    const name = ledgerArtifactName(runId, attempt);
    const loaded = await ledgerFromArtifact(artifacts, { name, runId, tempDir: options.tempDir });
    if (loaded.status !== 'ok')
        return { key, problem: short(`${loaded.code}: ${loaded.message}`) };
    return { key, text: loaded.value };
}

const ABSENT = { trust: 'absent', epochs: [], writes: {} };
async function restoreForRun(ports, place, target, options) {
    const scope = ledgerScope(target);
    const prefix = ledgerCachePrefix(place.repositoryId, scope);
    const found = await restoreLedger(ports.ledger, ports.artifacts, { prefix, tempDir: place.tempDir });
    if (found.key === undefined)
        return { published: ABSENT, scope, note: `no earlier ledger under ${prefix}`, untrusted: false };
    if (found.problem !== undefined || found.text === undefined)
        return { published: { ...ABSENT, trust: 'untrusted' }, scope, note: `the ledger of ${found.key} was not read: ${found.problem ?? 'no text'}`, untrusted: true };
    const judged = trustRestored(found.text, {
        key: options.key,
        repositoryId: place.repositoryId,
        now: options.now,
        target: { repository: place.repository, pullRequest: target.pullRequest, head: target.head },
    });
    if (judged.trust === 'absent')
        return { published: ABSENT, scope, note: `the ledger of ${found.key} is empty`, untrusted: false };
    if (judged.trust === 'untrusted')
        return {
            published: { ...ABSENT, trust: 'untrusted' },
            scope,
            note: `the ledger of ${found.key} did not verify${judged.firstBadSeq !== null ? ` at seq ${judged.firstBadSeq}` : ''}: ${judged.reason}`,
            untrusted: true,
        };
    const writes = judged.authenticated ? judged.state.writes : {};
    return {
        published: { trust: 'trusted', epochs: judged.state.epochs, writes },
        chain: { text: judged.text, tail: judged.tail, state: { writes }, records: judged.records },
        scope,
        note: judged.authenticated
            ? `continuing the ledger of ${found.key} (${judged.records.length} records, authenticated)`
            : `continuing the ledger of ${found.key} (${judged.records.length} records, hash-chained only: without ledger-key its writes are not trusted, and are reconciled from GitHub)`,
        untrusted: false,
    };
}
/** Stores this run's ledger file: the artifact users download, and the cache entry the next run finds. */
function persistForRun(ports, place, scope, path, retentionDays) {
    return persistLedger(ports.ledger, {
        path,
        artifactName: ledgerArtifactName(place.runId, place.attempt),
        cacheKey: ledgerCacheKey(place.repositoryId, scope, place.runId, place.attempt),
        retentionDays,
    });
}

function stripChain(record) {
    const { v: _v, seq: _seq, prev: _prev, mac: _mac, ...rest } = record;
    return rest;
}
/**
 * Replaces every record with `seq <= keepAfterSeq` by one checkpoint that summarizes them. The
 * checkpoint takes seq `keepAfterSeq` and its `prev` is the hash of the last replaced line; the kept
 * records keep their seq and are re-linked (and re-MACed with `key`) after it, so the result verifies
 * from the checkpoint on.
 *
 * Trust: nothing left in the file can check the checkpoint's `prev` or its summary, so the checkpoint
 * is exactly as trusted as its MAC. Without a key, anyone who can write the file can write any state.
 * Compaction with a key re-MACs the kept records: only the key holder should compact.
 *
 * `records` must be verified and hold their canonical lines' content (as `verifyLedger` returns
 * for lines `appendRecords` wrote); the dropped tail hash is recomputed from them.
 */
function compact(records, keepAfterSeq, options) {
    const index = records.findIndex((r) => r.seq === keepAfterSeq);
    if (index < 0)
        throw new RangeError(`no record has seq ${keepAfterSeq}`);
    const dropped = records.slice(0, index + 1);
    const kept = records.slice(index + 1);
    const summary = summarize(dropped);
    const tail = { seq: keepAfterSeq - 1, hash: lineHash(canonicalJson(records[index])) };
    // The checkpoint replaces record `keepAfterSeq`: it takes its seq and links to its line.
    const [checkpoint] = appendRecords(tail, [
        {
            type: 'checkpoint',
            at: options.at,
            run: options.run,
            replaced: dropped.reduce((n, r) => n + (r.type === 'checkpoint' ? r.replaced : 1), 0),
            writes: summary.writes,
            epochs: summary.epochs,
            pending: summary.pending,
        },
    ], options.key);
    return [checkpoint, ...appendRecords({ seq: keepAfterSeq, hash: lineHash(checkpoint) }, kept.map(stripChain), options.key)];
}

const COMPACT_ABOVE = 50_000;
/**
 * The run's ledger file (SPEC §10): every record is appended and written to disk at once, so a
 * crash between two writes leaves the intent without its result for the next run to reconcile.
 * It doubles as the writer's journal.
 *
 * Given a trusted restored ledger, the file begins with the restored lines (so the file, and the
 * artifact made of it, verifies on its own from genesis or from its checkpoint), the first new
 * record links to the restored tail, and `known()` answers from the restored writes as well as
 * this run's. Without one, the chain starts from genesis and `known()` answers from this run only
 * (the writer reconciles from GitHub markers).
 */
class RunLedger {
    path;
    run;
    key;
    now;
    tail;
    targets = new Map();
    known_ = new Map();
    /** True when a restored ledger longer than `compactAbove` was compacted into a checkpoint. */
    compacted = false;
    constructor(path, run, key, now, options = {}) {
        this.path = path;
        this.run = run;
        this.key = key;
        this.now = now;
        mkdirSync(dirname(path), { recursive: true });
        const restored = options.restored;
        if (!restored) {
            appendFileSync(path, '');
            return;
        }
        let text = restored.text.endsWith('\n') ? restored.text : `${restored.text}\n`;
        let tail = restored.tail;
        const records = restored.records;
        if (records && records.length > (options.compactAbove ?? COMPACT_ABOVE)) {
            const lines = this.tryCompact(records, tail);
            if (lines) {
                // Every record is replaced by one checkpoint that takes the tail's seq.
                text = `${lines.join('\n')}\n`;
                tail = { seq: tail.seq, hash: lineHash(lines.at(-1)) };
                this.compacted = true;
            }
        }
        writeFileSync(path, text);
        this.tail = tail;
        for (const [k, w] of Object.entries(restored.state.writes))
            this.known_.set(k, { ...w });
    }
    /** The restored records as one checkpoint, or undefined when they do not fit one. */
    tryCompact(records, tail) {
        if (records.at(-1)?.seq !== tail.seq)
            return undefined;
        try {
            return compact(records, tail.seq, { run: this.run, at: this.now().toISOString(), key: this.key });
        }
        catch {
            return undefined;
        }
    }
    append(records) {
        const lines = appendRecords(this.tail, records, this.key);
        appendFileSync(this.path, lines.map((l) => `${l}\n`).join(''));
        const last = JSON.parse(lines.at(-1));
        this.tail = { seq: last.seq, hash: lineHash(lines.at(-1)) };
    }
    get base() {
        return { at: this.now().toISOString(), run: this.run };
    }
    known(key) {
        const value = this.known_.get(key);
        return value ? { ...value } : undefined;
    }
    async intent(entry) {
        this.targets.set(entry.key, entry.target);
        this.append([{ ...this.base, type: 'intent', key: entry.key, kind: entry.kind, target: entry.target, digest: entry.digest }]);
    }
    async result(record) {
        const target = this.targets.get(record.key) ?? 'unknown';
        this.append([
            {
                ...this.base,
                type: 'write',
                key: record.key,
                kind: record.kind,
                target,
                status: record.status,
                ...(record.id !== undefined ? { id: record.id } : {}),
                ...(record.url ? { url: record.url } : {}),
                digest: (record.digest ?? `sha256:${'0'.repeat(64)}`),
            },
        ]);
        if ((record.status === 'done' || record.status === 'unchanged') && record.digest) {
            // As `stateFromLedger` folds it: a result without id or url keeps the earlier (restored) ones.
            const previous = this.known_.get(record.key);
            const id = record.id ?? previous?.id;
            const url = record.url || previous?.url;
            this.known_.set(record.key, { digest: record.digest, ...(id !== undefined ? { id } : {}), ...(url ? { url } : {}) });
        }
    }
    /** The run's outcome: the decision, its blockers (codes only), held memory keys, and skipped writes. */
    decision(plan, decision, sources) {
        const envelope = plan.envelope;
        const records = [];
        for (const entry of plan.entries.filter((e) => !e.allowed && e.blocker))
            records.push({ ...this.base, type: 'skip', key: entry.key, kind: entry.kind, target: entry.target, reason: entry.blocker });
        if (plan.blockers.length > 0)
            records.push({ ...this.base, type: 'blocker', codes: [...new Set(plan.blockers.map((b) => b.code))].slice(0, 100) });
        const memory = envelope?.memory ?? [];
        if (memory.length > 0)
            records.push({ ...this.base, type: 'held', keys: memory.map((m) => m.key) });
        records.push({
            ...this.base,
            type: 'decision',
            decision,
            planDigest: plan.digest,
            epoch: envelope?.epoch ?? 'none',
            target: { repository: this.run.repository, pullRequest: plan.pullRequest?.number ?? null, head: envelope?.target.headSha ?? null },
            blockers: [...new Set(plan.blockers.map((b) => b.code))].slice(0, 100),
            ...(sources ? { sources } : {}),
        });
        this.append(records);
    }
}

/** GitHub's limit for one step's job summary. */
const SUMMARY_LIMIT = { chars: 1024 * 1024, bytes: 1024 * 1024 };
/**
 * A file path for an annotation's `file` property, or undefined when it is not a plain relative path:
 * no control characters or line breaks, no workflow-command openers, no `..`, `.`, empty or absolute
 * segments. @actions/core escapes property values too; this keeps a hostile path out altogether.
 */
function annotationFile(path) {
    if (path.length === 0 || path.length > 1000)
        return undefined;
    if (/[\u0000-\u001f\u007f-\u009f\u2028\u2029\\]/.test(path) || path.includes('::') || path.includes('##['))
        return undefined;
    const segments = path.split('/');
    if (/^[A-Za-z]:/.test(path) || segments.some((s) => s === '' || s === '.' || s === '..'))
        return undefined;
    return path;
}
const lineNumber = (n) => (n !== undefined && Number.isSafeInteger(n) && n >= 1 ? n : undefined);
/**
 * Everything the run says to the runner goes through here: log lines, annotations, outputs, the
 * summary and the failure message. Each passes the content pipeline first; calls stay synchronous
 * for the caller and are written in order by one queue, which `flush()` drains.
 */
class SafeOutput {
    io;
    pipeline;
    queue = Promise.resolve();
    constructor(io, pipeline) {
        this.io = io;
        this.pipeline = pipeline;
    }
    enqueue(step) {
        this.queue = this.queue.then(step, step);
    }
    lines(write, text) {
        // Redact the whole text before splitting it, so a secret spread over lines (a PEM key) is found.
        this.enqueue(async () => {
            for (const line of (await this.pipeline.redacted(text)).split(/\r\n|\r|\n/))
                write(logSafe(line));
        });
    }
    info(text) {
        this.lines((l) => this.io.info(l), text);
    }
    /**
     * An annotation's properties, as safe as its message: the title redacted and made a log line, the
     * file kept only when redaction left it unchanged and it is a plain relative path, lines only with a
     * file and only as positive integers.
     */
    async properties(at) {
        if (!at)
            return undefined;
        const out = {};
        if (at.title)
            out.title = logSafe(await this.pipeline.plain(at.title, Limits.annotationTitle));
        if (at.file !== undefined) {
            const file = annotationFile(at.file);
            if (file !== undefined && (await this.pipeline.redacted(file)) === file) {
                out.file = file;
                const start = lineNumber(at.startLine);
                const end = lineNumber(at.endLine);
                if (start !== undefined) {
                    out.startLine = start;
                    out.endLine = end !== undefined && end >= start ? end : start;
                }
            }
        }
        return Object.keys(out).length > 0 ? out : undefined;
    }
    annotate(write, text, at) {
        this.enqueue(async () => {
            const message = await this.pipeline.logLine(text);
            const properties = await this.properties(at);
            if (properties)
                write(message, properties);
            else
                write(message);
        });
    }
    notice(text, at) {
        this.annotate((m, p) => this.io.notice(m, p), text, at);
    }
    warning(text, at) {
        this.annotate((m, p) => this.io.warning(m, p), text, at);
    }
    error(text, at) {
        this.annotate((m, p) => this.io.error(m, p), text, at);
    }
    /** Group names are our own words; they still pass the pipeline. */
    group(name) {
        this.enqueue(async () => this.io.startGroup(await this.pipeline.logLine(name)));
    }
    endGroup() {
        this.enqueue(async () => this.io.endGroup());
    }
    output(name, value) {
        this.enqueue(async () => this.io.setOutput(name, typeof value === 'string' ? await this.pipeline.redacted(value) : await this.pipeline.json(value)));
    }
    failed(message) {
        this.enqueue(async () => this.io.setFailed(await this.pipeline.logLine(message)));
    }
    /**
     * The job summary. A render function runs on the queue, after every earlier line and output passed
     * the pipeline. Redaction can lengthen a text (`[REDACTED:rule]` for a short secret), so when the
     * redacted summary is over the budget it is rendered again with less room: whole rows are dropped
     * before the pipeline's last-resort cut could ever fall inside a table.
     */
    summary(source) {
        this.enqueue(async () => {
            try {
                const render = typeof source === 'string' ? () => source : source;
                let budget = SUMMARY_BUDGET;
                let markdown = await this.pipeline.composed(render(budget), SUMMARY_LIMIT);
                for (let attempt = 0; attempt < 3 && typeof source !== 'string' && measure(markdown).bytes > SUMMARY_BUDGET; attempt++) {
                    budget = Math.floor(budget / 2);
                    markdown = await this.pipeline.composed(render(budget), SUMMARY_LIMIT);
                }
                await this.io.writeSummary(markdown);
            }
            catch (error) {
                this.io.warning(await this.pipeline.logLine(`job summary not written: ${String(error)}`));
            }
        });
    }
    /** Waits until every queued line, output and summary has been written. */
    async flush() {
        await this.queue;
    }
}

/**
 * Reads every input once. A value that cannot be understood never widens anything: the setting
 * falls back to its safest form and the problem becomes a blocker (`CONFIG_INVALID`, subject `input:<name>`).
 */
function readSettings(read) {
    const issues = [];
    const get = (name) => read(name).trim();
    const bad = (name, message) => issues.push(blocker('CONFIG_INVALID', `input ${name}: ${message}`, `input:${name}`));
    const optional = (name) => get(name) || undefined;
    const modeText = get(Inputs.Mode) || 'dry-run';
    let mode = 'dry-run';
    if (MODES.includes(modeText))
        mode = modeText;
    else
        bad(Inputs.Mode, `"${modeText.slice(0, 40)}" is not one of ${MODES.join(', ')}`);
    const deny = [];
    for (const item of get(Inputs.Deny).split(',').map((s) => s.trim()).filter(Boolean)) {
        if (WRITE_KINDS.includes(item))
            deny.push(item);
        else
            bad(Inputs.Deny, `"${item.slice(0, 40)}" is not a write kind (${WRITE_KINDS.join(', ')})`);
    }
    let runId;
    const runIdText = get(Inputs.RunId);
    if (runIdText) {
        if (/^[1-9]\d{0,15}$/.test(runIdText))
            runId = Number(runIdText);
        else
            bad(Inputs.RunId, 'not a run id');
    }
    let ledgerRetentionDays = 90;
    const retention = get(Inputs.LedgerRetentionDays);
    if (retention) {
        if (/^\d{1,3}$/.test(retention) && Number(retention) >= 1 && Number(retention) <= 400)
            ledgerRetentionDays = Number(retention);
        else
            bad(Inputs.LedgerRetentionDays, 'a whole number of days from 1 to 400');
    }
    const failText = (get(Inputs.FailOnBlocked) || 'true').toLowerCase();
    // Anything but an explicit false keeps failing the step, the safer reading.
    if (!['true', 'false'].includes(failText))
        bad(Inputs.FailOnBlocked, 'true or false');
    const failOnBlocked = failText !== 'false';
    const settings = {
        mode,
        config: get(Inputs.Config) || '.github/publish-gate.yml',
        envelope: get(Inputs.Envelope) || 'agent-result',
        evidence: get(Inputs.Evidence) || 'gate-evidence',
        deny,
        token: read(Inputs.GithubToken),
        ledgerRetentionDays,
        failOnBlocked,
    };
    const assign = (key, value) => {
        if (value !== undefined)
            settings[key] = value;
    };
    assign('configRef', optional(Inputs.ConfigRef));
    assign('runId', runId);
    assign('envelopePath', optional(Inputs.EnvelopePath));
    assign('evidencePath', optional(Inputs.EvidencePath));
    assign('configPath', optional(Inputs.ConfigPath));
    assign('ledgerKey', read(Inputs.LedgerKey) || undefined);
    return { settings, issues };
}

async function fromFile(deps, path, maxBytes, missing, invalid, parse) {
    const base = deps.env.GITHUB_WORKSPACE ?? process.cwd();
    const full = isAbsolute(path) ? path : resolve(base, path);
    const read = await deps.readFile(full, maxBytes);
    if (!read.ok)
        return { status: 'failed', code: read.reason === 'missing' ? missing : invalid, message: read.message };
    return parse(read.text, path, 'file');
}
/** An artifact's provenance for the log: which artifact of which run, the commit and repository that run built. */
function provenanceText(p) {
    if (!p)
        return '';
    return ` artifact ${p.artifactId} of run ${p.runId}, ${p.digest}${p.headSha ? `, head ${p.headSha.slice(0, 12)}` : ''}${p.headRepositoryId !== undefined ? `, head repository id ${p.headRepositoryId}` : ''}`;
}
/** Load: local `*-path` files when given (recorded as `source: file`), else the configured sources. */
async function load(deps, settings) {
    const { sources } = deps;
    const [policy, envelope, evidence] = await Promise.all([
        settings.configPath
            ? fromFile(deps, settings.configPath, Limits$1.policyBytes, 'CONFIG_MISSING', 'CONFIG_INVALID', policyFromText)
            : sources.policy(settings),
        settings.envelopePath
            ? fromFile(deps, settings.envelopePath, Limits$1.envelopeBytes, 'ENVELOPE_MISSING', 'ENVELOPE_INVALID', envelopeFromText)
            : sources.envelope(settings),
        settings.evidencePath
            ? fromFile(deps, settings.evidencePath, Limits$1.evidenceBytes, 'EVIDENCE_MISSING', 'EVIDENCE_INVALID', evidenceFromText)
            : sources.evidence(settings),
    ]);
    return { policy, envelope, evidence };
}
function setOutputs(out, plan, decision, records) {
    const find = (kind) => records.find((r) => r.kind === kind && (r.status === 'done' || r.status === 'unchanged'));
    out.output(Outputs.Decision, decision);
    out.output(Outputs.Blockers, blockersOutput(plan.blockers));
    out.output(Outputs.Plan, planOutput(plan));
    out.output(Outputs.PlanDigest, plan.digest);
    out.output(Outputs.Writes, records.map(({ kind, key, status, url, id }) => ({ kind, key, status, ...(url ? { url } : {}), ...(id !== undefined ? { id } : {}) })));
    // The PR the writes went to: the live one, else the one this run opened (or found) for its branch.
    const opened = find('pull-request');
    out.output(Outputs.PrNumber, plan.pullRequest ? String(plan.pullRequest.number) : opened?.id !== undefined ? String(opened.id) : '');
    out.output(Outputs.PrUrl, plan.pullRequest?.url ?? opened?.url ?? '');
    out.output(Outputs.CommentUrl, find('comment')?.url ?? '');
    out.output(Outputs.CheckRunId, String(find('check-run')?.id ?? ''));
}
/** The run's identity as the runner gives it (GITHUB_RUN_ID, GITHUB_REPOSITORY, GITHUB_REPOSITORY_ID, RUNNER_TEMP); undefined in a local run. */
function ledgerPlace(deps) {
    const { env } = deps;
    const run = {
        id: env.GITHUB_RUN_ID ?? '',
        attempt: Number(env.GITHUB_RUN_ATTEMPT ?? '1'),
        repository: env.GITHUB_REPOSITORY ?? '',
        repository_id: Number(env.GITHUB_REPOSITORY_ID),
        workflow: env.GITHUB_WORKFLOW || 'unknown',
        actor: env.GITHUB_ACTOR || 'unknown',
    };
    if (!env.RUNNER_TEMP || !is(LedgerRun, run))
        return undefined;
    return { run, repositoryId: run.repository_id, repository: run.repository, runId: run.id, attempt: run.attempt, tempDir: env.RUNNER_TEMP };
}
/**
 * The run's ledger under RUNNER_TEMP, named as SPEC §10 names the artifact, continuing a trusted
 * restored chain when there is one. Without the run's identity (a local run) there is no ledger and
 * the run says so.
 */
function openLedger(deps, settings, out, place, restored) {
    if (!place) {
        out.warning('No ledger was written: RUNNER_TEMP, GITHUB_RUN_ID, GITHUB_REPOSITORY or GITHUB_REPOSITORY_ID is missing.');
        return undefined;
    }
    if (!settings.ledgerKey)
        out.warning('No ledger-key: ledger records and markers are hash-chained but not authenticated.');
    const { run } = place;
    return new RunLedger(join(place.tempDir, `publish-gate-ledger-${run.id}-${run.attempt}.jsonl`), run, settings.ledgerKey, deps.now, { restored });
}
/** Restores the newest ledger of the target, when the runner's artifact and cache services can be reached. */
async function restore(deps, settings, out, place, target) {
    const ports = await deps.github?.storage?.(settings);
    if (!place || !ports) {
        out.info('No earlier ledger restored: this run has no artifact and cache access (a token, GITHUB_RUN_ID and RUNNER_TEMP are needed).');
        return undefined;
    }
    try {
        const restored = await restoreForRun(ports, place, target, { key: settings.ledgerKey, now: deps.now() });
        (restored.untrusted ? out.warning : out.info).call(out, `${restored.untrusted ? 'LEDGER_UNTRUSTED: ' : ''}${restored.note}`);
        return { ports, restored };
    }
    catch (error) {
        // A name that cannot be formed (a bad run id) or a port that broke its promise: no ledger, said so.
        out.warning(`LEDGER_UNTRUSTED: the earlier ledger could not be restored: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
    }
}
/**
 * The published epochs are also reconciled from the action's own reviews on the PR
 * (`src/github/epochs.ts`), so EPOCH_REPLAYED holds when there is no ledger, or when the restored
 * one is older than GitHub (a later run's ledger was not stored). One read, which the writer's review
 * lookup reuses. A failed read blocks (API_FAILED): a replay could not be ruled out.
 */
async function reconcileEpochs(deps, settings, out, issues, restored, live, envelope, policy) {
    const state = restored ?? { trust: 'absent', epochs: [], writes: {} };
    const client = await deps.github?.client(settings);
    const number = live?.pullRequest?.number;
    if (!client || !number || !envelope || !policy || policy.writes.review === 'deny')
        return state;
    const repository = deps.env.GITHUB_REPOSITORY ?? '';
    try {
        const keys = await ownReviewKeys(client, repository, number, tokenIdentity(client, settings.token), settings.ledgerKey, deps.github?.lookups);
        out.info(`published epochs reconciled from GitHub: ${keys.length} review${keys.length === 1 ? '' : 's'} of ours on #${number}`);
        return epochsFromReviews(state, keys, repository, number, envelope.epoch);
    }
    catch (error) {
        const failure = classifyApiError(error, `reviews of pull request #${number}`);
        issues.push(blocker(failure.code === 'FORBIDDEN_OPERATION' ? 'API_FAILED' : failure.code, `${failure.message} (needed to rule out a replayed epoch without a trusted ledger)`, 'reviews'));
        return state;
    }
}
/** Stores the ledger (artifact and cache); a refusal never fails the run. */
async function persist(settings, out, place, ledger, restored) {
    if (!place || !ledger || !restored)
        return undefined;
    const result = await persistForRun(restored.ports, place, restored.restored.scope, ledger.path, settings.ledgerRetentionDays);
    for (const note of result.notes)
        out.warning(note);
    out.info(result.persisted ? `ledger stored${result.artifactId !== undefined ? `: artifact ${result.artifactId}` : ''}${result.cacheKey ? `, cache ${result.cacheKey}` : ''}` : 'ledger not stored durably; it stays at ledger-path for this job only');
    return result;
}
/** Where each document came from, for the ledger's decision record; provenance members only in the form the schema takes. */
function sourcesOf(loaded) {
    const one = (doc) => {
        if (doc.status !== 'ok')
            return { source: 'none' };
        const p = doc.provenance;
        const id = (n) => (n !== undefined && Number.isSafeInteger(n) && n > 0 ? n : undefined);
        const out = { source: doc.source };
        if (!p)
            return out;
        if (id(p.artifactId))
            out.artifactId = p.artifactId;
        if (id(p.runId))
            out.runId = p.runId;
        if (/^sha256:[0-9a-f]{64}$/.test(p.digest))
            out.digest = p.digest;
        if (p.headSha && /^[0-9a-f]{40}$/.test(p.headSha))
            out.headSha = p.headSha;
        if (id(p.headRepositoryId))
            out.headRepositoryId = p.headRepositoryId;
        return out;
    };
    return { policy: one(loaded.policy), envelope: one(loaded.envelope), evidence: one(loaded.evidence) };
}
/** After the writes: `failed` when one failed, `noop` when every write found its content already there. */
function finalDecision(plan, records, failed) {
    if (plan.decision !== 'published')
        return plan.decision;
    if (failed)
        return 'failed';
    return records.length > 0 && records.every((r) => r.status === 'unchanged') ? 'noop' : 'published';
}
/** Execute: only a live plan that allows writes opens the firewall's write gate, and only for these writes. */
async function execute(deps, settings, plan, content, out, journal) {
    const client = await deps.github?.client(settings);
    if (plan.decision !== 'published' || !client || !deps.github)
        return { records: [], failed: false };
    const repository = deps.env.GITHUB_REPOSITORY ?? '';
    deps.github.writes.allowed = true;
    try {
        const result = await executePlan({
            client,
            repository,
            plan,
            content,
            journal,
            identity: tokenIdentity(client, settings.token),
            ...(deps.github.lookups ? { lookups: deps.github.lookups } : {}),
            ...(settings.ledgerKey ? { ledgerKey: settings.ledgerKey } : {}),
        });
        for (const r of result.records)
            out.info(`${r.kind} ${r.key}: ${r.status}${r.url ? ` ${r.url}` : ''}${r.note ? ` (${r.note})` : ''}${r.error ? ` ${r.error.code}: ${r.error.message}` : ''}`);
        return result;
    }
    finally {
        deps.github.writes.allowed = false;
    }
}
/** At most this many dry-run notices, one per inline finding; then one notice says how many more. */
const MAX_FINDING_NOTICES = 50;
/**
 * Annotations: an error per blocker (a warning in a dry run, where blockers say what would stop a live
 * run), on the file when the blocker is about one; an error per failed write; and in a dry run a notice
 * on each finding the review would post inline.
 */
function annotate(out, plan, records) {
    const dry = plan.decision === 'dry-run';
    for (const b of plan.blockers) {
        const at = { title: `Publish Gate${dry ? ' (dry run)' : ''}: ${b.code}`, ...(b.path ? { file: b.path } : {}) };
        (dry ? out.warning : out.error).call(out, `${b.code}: ${b.message}`, at);
    }
    for (const r of records.filter((r) => r.error))
        out.error(`${r.error.code}: ${r.error.message}`, { title: `Publish Gate: ${r.kind} write failed` });
    if (!dry)
        return;
    const inline = inlineFindings(plan);
    for (const f of inline.slice(0, MAX_FINDING_NOTICES))
        out.notice(`Would be posted as an inline review comment (${f.severity}, ${f.ruleId}): ${f.title}`, {
            title: `Publish Gate (dry run): ${f.title}`,
            file: f.path,
            startLine: f.startLine,
            ...(f.endLine !== undefined ? { endLine: f.endLine } : {}),
        });
    if (inline.length > MAX_FINDING_NOTICES)
        out.notice(`… and ${inline.length - MAX_FINDING_NOTICES} more findings would be posted inline; the job summary counts them all.`, { title: 'Publish Gate (dry run)' });
}
/** The approval gate as the summary shows it: the policy's environment and the run's approvals. */
function approvalView(policy, facts) {
    if (!policy)
        return undefined;
    if (policy.approval === 'none')
        return { required: false };
    const environment = policy.approval.environment;
    return {
        required: true,
        environment,
        origin: facts?.origin === 'live' ? 'live' : 'assumed',
        approvals: facts?.approvals ?? [],
        settings: facts?.environments[environment],
    };
}
/** The pipeline: settings, load, validate, gather live facts, decide, execute, record, report, outputs. */
async function run(deps) {
    const { io } = deps;
    const { settings, issues } = readSettings((name) => io.getInput(name));
    const secrets = [settings.token, settings.ledgerKey].filter((s) => Boolean(s));
    for (const secret of secrets)
        io.setSecret(secret);
    // From here on, every byte for the runner passes the content pipeline.
    const content = new ContentPipeline(deps.createRedactor(secrets));
    const out = new SafeOutput(io, content);
    try {
        return await pipeline(deps, settings, issues, out, content);
    }
    finally {
        await out.flush();
    }
}
async function pipeline(deps, settings, issues, out, base) {
    out.group('Load');
    const loaded = await load(deps, settings);
    if (settings.configPath)
        out.warning('The policy was read from config-path, a file the workflow names, not from the trusted ref. A checked-out tree can be controlled by the change under review.');
    for (const [what, doc] of Object.entries(loaded))
        out.info(`${what}: ${doc.status === 'ok' ? `read (${doc.source}${provenanceText(doc.provenance)})` : `${doc.code}: ${doc.message}`}`);
    const made = loaded.envelope.status === 'ok' ? loaded.envelope : undefined;
    if (made?.provenance?.headSha && made.value.format === 'envelope' && made.value.envelope.target.headSha !== made.provenance.headSha)
        out.warning(`The envelope names head ${made.value.envelope.target.headSha.slice(0, 12)}, but the run that uploaded it built ${made.provenance.headSha.slice(0, 12)}; the live facts decide whether it is stale.`);
    out.endGroup();
    out.group('Gather live facts');
    const envelope = loaded.envelope.status === 'ok' && loaded.envelope.value.format === 'envelope' ? loaded.envelope.value.envelope : undefined;
    const fallback = assumedFacts(envelope, loaded.evidence.status === 'ok' ? loaded.evidence.value : undefined, loaded.policy.status === 'ok' ? loaded.policy.value : undefined, {
        ...(deps.env.GITHUB_REPOSITORY ? { repository: deps.env.GITHUB_REPOSITORY } : {}),
        ...(deps.env.GITHUB_EVENT_NAME ? { event: deps.env.GITHUB_EVENT_NAME } : {}),
        ...(deps.env.GITHUB_ACTOR ? { actor: deps.env.GITHUB_ACTOR } : {}),
    });
    const facts = await deps.sources.facts(settings, { envelope, policy: loaded.policy.status === 'ok' ? loaded.policy.value : undefined, fallback });
    // The offline CLI may evaluate assumed facts in any mode; the action never writes on them.
    if (facts.status === 'ok' && facts.value.origin !== 'live' && settings.mode === 'live')
        issues.push(blocker('API_FAILED', 'live GitHub facts were not read; a live run never acts on assumed facts', 'facts'));
    out.info(facts.status === 'ok' ? `facts: ${facts.value.origin}` : `facts: ${facts.code}: ${facts.message}`);
    if (facts.status === 'ok' && facts.value.origin !== 'live')
        out.warning('Live GitHub facts were not read: this run evaluated facts assumed consistent with the envelope, and would refuse to write in live mode.');
    out.endGroup();
    out.group('Restore ledger');
    const place = ledgerPlace(deps);
    const live = facts.status === 'ok' && facts.value.origin === 'live' ? facts.value : undefined;
    const restored = await restore(deps, settings, out, place, {
        ...(live?.pullRequest ? { pullRequest: live.pullRequest.number } : {}),
        ...(envelope ? { head: envelope.target.headSha } : {}),
    });
    const published = await reconcileEpochs(deps, settings, out, issues, restored?.restored.published, live, envelope, loaded.policy.status === 'ok' ? loaded.policy.value : undefined);
    out.endGroup();
    out.group('Decide');
    const plan = decide({
        inputs: { mode: settings.mode, deny: settings.deny, config: settings.config, issues },
        ...loaded,
        facts,
        published,
        now: deps.now().toISOString(),
    });
    out.info(renderText(plan, { factsOrigin: facts.status === 'ok' ? facts.value.origin : 'unavailable' }).trimEnd());
    out.endGroup();
    out.group('Execute');
    const policy = loaded.policy.status === 'ok' ? loaded.policy.value : undefined;
    // Bodies follow the policy's content rules; until one is read, the strict defaults.
    const content = policy ? base.withMarkdownPolicy({ allowedMentions: policy.content['allowed-mentions'], allowedDomains: policy.content['allowed-domains'] }) : base;
    const ledger = openLedger(deps, settings, out, place, restored?.restored.chain);
    const { records, failed } = await execute(deps, settings, plan, content, out, ledger ?? new MemoryJournal());
    const decision = finalDecision(plan, records, failed);
    ledger?.decision(plan, decision, sourcesOf(loaded));
    out.endGroup();
    out.group('Store ledger');
    const stored = await persist(settings, out, place, ledger, restored);
    out.endGroup();
    setOutputs(out, plan, decision, records);
    out.output(Outputs.LedgerPath, ledger?.path ?? '');
    out.output(Outputs.LedgerPersisted, stored?.persisted ? 'true' : 'false');
    out.output(Outputs.LedgerArtifactId, stored?.artifactId !== undefined ? String(stored.artifactId) : '');
    out.output(Outputs.LedgerCacheKey, stored?.cacheKey ?? '');
    annotate(out, plan, records);
    const approval = approvalView(policy, facts.status === 'ok' ? facts.value : undefined);
    // Rendered on the output queue, after every log line and output passed the pipeline: the redaction
    // counts then cover everything the run sent (all but the summary's own text).
    out.summary((budget) => renderSummary({ ...plan, decision }, {
        writes: records,
        ...(ledger
            ? { ledger: { path: ledger.path, persisted: stored?.persisted === true, artifactId: stored?.artifactId, cacheKey: stored?.cacheKey, restored: restored?.restored.note } }
            : {}),
        redactions: { counts: { ...base.report.redactions }, unscannable: base.report.unscannable },
        ...(approval ? { approval } : {}),
        factsOrigin: facts.status === 'ok' ? facts.value.origin : 'unavailable',
        budget,
    }));
    out.info(`Publish Gate decision: ${decision} (${plan.blockers.length} blocker${plan.blockers.length === 1 ? '' : 's'}, ${records.length} write${records.length === 1 ? '' : 's'} made)`);
    const failing = decision === 'blocked' || decision === 'failed';
    if (failing && settings.failOnBlocked) {
        out.failed(`Publish Gate decision: ${decision}`);
        return { plan, exitCode: 1 };
    }
    return { plan, exitCode: 0 };
}

/** More artifacts with one name than this many pages is not a case worth reading: intake refuses two already. */
const MAX_PAGES$1 = 10;
function toInfo(a) {
    const info = { id: a.id, name: a.name, size: a.size_in_bytes, runId: a.workflow_run?.id ?? -1, expired: a.expired };
    if (a.digest)
        info.digest = a.digest;
    if (a.workflow_run?.head_sha)
        info.headSha = a.workflow_run.head_sha;
    if (typeof a.workflow_run?.head_repository_id === 'number')
        info.headRepositoryId = a.workflow_run.head_repository_id;
    return info;
}
/**
 * Workflow artifacts on a real runner: listing through the firewalled client, downloads through
 * `@actions/artifact` (loaded only when a download happens) as a raw zip that intake inspects itself.
 * An artifact without a `workflow_run` is listed with run -1, which intake refuses as foreign.
 */
function createActionsArtifactStore(options) {
    const [owner = '', repo = ''] = options.repository.split('/');
    /** The run's artifacts (named `name`, when given), at most {@link MAX_PAGES} pages; `complete` when the last page was reached. */
    const listPages = async (runId, name) => {
        const artifacts = [];
        let pages = 0;
        const iterator = options.client.paginate.iterator('GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts', { owner, repo, run_id: runId, ...(name !== undefined ? { name } : {}), per_page: 100 });
        for await (const page of iterator) {
            artifacts.push(...page.data.map(toInfo));
            if (++pages >= MAX_PAGES$1)
                return { artifacts, complete: false };
        }
        return { artifacts, complete: true };
    };
    return {
        list: async (name, runId) => (await listPages(runId, name)).artifacts,
        listRun: (runId) => listPages(runId),
        async downloadZip(artifact, dir) {
            const { DefaultArtifactClient } = await import('./chunks/artifact-1ItDmx2n.js');
            const crossRun = artifact.runId !== options.currentRunId || !options.env.ACTIONS_RUNTIME_TOKEN;
            const findBy = crossRun ? { findBy: { token: options.token, workflowRunId: artifact.runId, repositoryOwner: owner, repositoryName: repo } } : {};
            const result = await new DefaultArtifactClient().downloadArtifact(artifact.id, {
                path: dir,
                ...(artifact.digest ? { expectedHash: artifact.digest } : {}),
                skipDecompress: true,
                ...findBy,
            });
            // With skipDecompress the library saves the raw zip under the Content-Disposition name (or `artifact`).
            const entries = await readdir(dir, { withFileTypes: true });
            const files = entries.filter((e) => e.isFile());
            if (entries.length !== 1 || files.length !== 1)
                throw new Error(`expected the download to leave one file in its directory, found ${entries.length} entries`);
            return { zipPath: join(dir, files[0].name), digestMismatch: result.digestMismatch === true };
        },
    };
}

/**
 * The store as the document intake uses it: the envelope and the evidence come from the same run, so
 * one listing of that run answers both names (exact match; intake checks the name again), where two
 * listings filtered by name on GitHub's side would cost a request each. A listing that may be
 * incomplete is not trusted to say an artifact is missing: the name is then listed on its own.
 */
function sharedRunListing(store) {
    const runs = new Map();
    return {
        async list(name, runId) {
            if (!store.listRun)
                return store.list(name, runId);
            let listing = runs.get(runId);
            if (!listing)
                runs.set(runId, (listing = store.listRun(runId)));
            const { artifacts, complete } = await listing;
            return complete ? artifacts.filter((a) => a.name === name) : store.list(name, runId);
        },
        downloadZip: (artifact, dir) => store.downloadZip(artifact, dir),
    };
}

/**
 * Lists the fact reads fetched anyway, offered to the writer's first lookup of each write so one
 * request serves both (issue 4's request economy). Every list here was read before any write of
 * this run. The writer uses an entry only for its first look; a look after an ambiguous answer
 * (reconcile) always reads GitHub again, since by then this run may have changed what is there.
 */
class FirstLookups {
    checkRuns = new Map();
    labels = new Map();
    reviews = new Map();
    /** Every review of the PR, read to reconcile published epochs from GitHub. */
    putReviews(number, reviews) {
        this.reviews.set(number, reviews);
    }
    reviewsOf(number) {
        return this.reviews.get(number);
    }
    /** Every check run on `sha` (`filter=all`), complete: a list cut at the page bound is not kept. */
    putCheckRuns(sha, runs) {
        this.checkRuns.set(sha, runs);
    }
    checkRunsOf(sha) {
        return this.checkRuns.get(sha);
    }
    /** The labels on the PR as GitHub returned the PR. */
    putLabels(number, labels) {
        this.labels.set(number, labels);
    }
    labelsOf(number) {
        return this.labels.get(number);
    }
}

/**
 * `LedgerStorage` on the Actions cache and artifact services. Both libraries are imported lazily,
 * on first use, so the bundle loads them (and their HTTP stacks) only when a ledger is restored or
 * persisted.
 *
 * The cache path constraint: the cache version is a hash of the exact path strings given to
 * `saveCache` and `restoreCache`, so an entry saved under one path cannot be found under
 * another. Callers hand in any path; the cache itself only ever sees ONE fixed path,
 * `<cacheDir>/publish-gate-ledger.jsonl`: `save` copies the file there first, and `lookup` asks
 * with that path (lookup only: nothing is downloaded or extracted). `cacheDir` must therefore be the same string in every run that
 * should share entries (the default, `$RUNNER_TEMP/publish-gate-ledger-cache`, is stable on
 * GitHub-hosted runners of one OS; self-hosted runners with another RUNNER_TEMP see a different
 * version and restore nothing). Do not change the file name or the default without accepting that
 * every existing entry stops being found.
 *
 * Failures become results, never exceptions; their reasons are one short line with URL query
 * strings (signed blob URLs) removed.
 */
const LEDGER_CACHE_FILE = 'publish-gate-ledger.jsonl';
function defaultLedgerCacheDir(env = process.env) {
    return join(env.RUNNER_TEMP || tmpdir(), 'publish-gate-ledger-cache');
}
function reason(error) {
    const text = error instanceof Error ? error.message : String(error);
    const line = (text.split(/[\r\n]/, 1)[0] ?? '').replace(/(https?:\/\/[^\s?#]*)[?#]\S*/g, '$1?…');
    return line.length > 200 ? `${line.slice(0, 199)}…` : line || 'unknown error';
}
function createActionsLedgerStorage(options = {}) {
    const cacheDir = options.cacheDir ?? defaultLedgerCacheDir();
    const cachePath = join(cacheDir, LEDGER_CACHE_FILE);
    /** Clears the fixed path (a symlink left by an earlier restore is removed, never followed). */
    async function clear() {
        await mkdir(cacheDir, { recursive: true });
        await rm(cachePath, { force: true });
    }
    return {
        async lookup(prefix) {
            try {
                const cache = await import('./chunks/cache-YQ8bY1ms.js');
                if (!cache.isFeatureAvailable())
                    return undefined;
                // Lookup only: the entry is never downloaded or extracted (restoreLedger reads the ledger artifact it names).
                return await cache.restoreCache([cachePath], prefix, [prefix], { lookupOnly: true });
            }
            catch {
                return undefined;
            }
        },
        async save(path, key) {
            try {
                const cache = await import('./chunks/cache-YQ8bY1ms.js');
                if (!cache.isFeatureAvailable())
                    return { ok: false, reason: 'the cache service is not available' };
                await clear();
                await copyFile(path, cachePath, constants$1.COPYFILE_EXCL);
                const id = await cache.saveCache([cachePath], key);
                // -1: the key exists (keys are immutable), writes are not permitted, or the save failed (the library logged why).
                if (id === -1)
                    return { ok: false, reason: 'the cache refused the save (the key exists, or cache writes are not permitted)' };
                return { ok: true };
            }
            catch (error) {
                return { ok: false, reason: reason(error) };
            }
        },
        async upload(name, path, retentionDays) {
            try {
                const { DefaultArtifactClient } = await import('./chunks/artifact-1ItDmx2n.js');
                const retention = Number.isSafeInteger(retentionDays) && retentionDays >= 1 ? { retentionDays } : {};
                const response = await new DefaultArtifactClient().uploadArtifact(name, [path], dirname(path), retention);
                if (response.id === undefined)
                    return { ok: false, reason: 'the artifact service returned no id' };
                return { ok: true, id: response.id };
            }
            catch (error) {
                return { ok: false, reason: reason(error) };
            }
        },
    };
}

/** `@@ -a[,b] +c[,d] @@` at the start of a line; a missing count means 1. */
const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm;
/**
 * New-side line ranges `[first, last]` of the hunks of one file's unified diff, as GitHub returns it
 * in the `patch` member of a pull request file. A hunk with no new-side lines (`+c,0`: a pure
 * deletion, or a deleted file) adds no range. Ranges past `Limits.line` are clamped, and at most
 * `max` ranges are returned (the caller treats more as unknown).
 */
function newSideHunks(patch, max = 10_000) {
    const out = [];
    for (const match of patch.matchAll(HUNK_HEADER)) {
        const start = Number(match[1]);
        const count = match[2] === undefined ? 1 : Number(match[2]);
        if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || count <= 0 || start < 1)
            continue;
        if (start > Limits$1.line)
            continue;
        out.push([start, Math.min(start + count - 1, Limits$1.line)]);
        if (out.length > max)
            break;
    }
    return out;
}

/** Upper bound on pages read from any list (100 items a page): 3,000 files, check runs or commits. */
const MAX_PAGES = 30;
const PER_PAGE = 100;
/** A failure that ends the read; carried as an exception inside this module only. */
class ReadFailure extends Error {
    code;
    subject;
    constructor(code, message, subject) {
        super(message);
        this.code = code;
        this.subject = subject;
    }
}
const statusOf = (error) => {
    const status = error?.status;
    return typeof status === 'number' ? status : undefined;
};
/** API error → a load failure. A firewall refusal of a read is a defect: reported as API_FAILED with the reason. */
function failure(error, what, hint) {
    if (error instanceof ReadFailure)
        return error;
    const api = classifyApiError(error, what);
    const code = api.code === 'FORBIDDEN_OPERATION' ? 'API_FAILED' : api.code;
    return new ReadFailure(code, hint && api.code === 'AUTH_FAILED' && api.status === 403 ? `${api.message}; ${hint}` : api.message, what);
}
function split(repository) {
    const [owner = '', repo = ''] = repository.split('/');
    return { owner, repo };
}
/** Each segment percent-encoded on its own, so a `/` stays a separator and `#`, `?`, `%` stay data. */
function encodePath(path) {
    return path.split('/').map(encodeURIComponent).join('/');
}
/** The repository's default branch; read only when no PR answered it (the PR carries its base repository). */
async function defaultBranchOf(client, owner, repo) {
    try {
        const { data } = await client.rest.repos.get({ owner, repo });
        if (typeof data.default_branch !== 'string' || !data.default_branch)
            throw new ReadFailure('API_FAILED', 'repository: GitHub reported no default branch');
        return data.default_branch;
    }
    catch (error) {
        throw failure(error, 'repository', 'the workflow needs `permissions: contents: read`');
    }
}
/** Reads a list with `octokit.paginate`, at most MAX_PAGES pages; `complete` is false when the bound cut it short. */
async function pages(iterator) {
    const items = [];
    let n = 0;
    for await (const page of iterator) {
        items.push(...page.data);
        if (++n >= MAX_PAGES)
            return { items, complete: page.data.length < PER_PAGE };
    }
    return { items, complete: true };
}
const POLICY_HINT = 'the workflow needs `permissions: contents: read`';
/**
 * The policy file through the contents API at `ref` (default: the repository's default branch).
 * Only a regular file at exactly `path` is accepted: a directory, a symlink (or a symlink GitHub
 * followed to another path), a submodule or a file over `Limits.policyBytes` is CONFIG_INVALID.
 */
async function readPolicyFile(client, repository, path, ref) {
    const { owner, repo } = split(repository);
    const clean = path.replace(/^\.\//, '');
    const invalid = (message) => ({ status: 'failed', code: 'CONFIG_INVALID', message: `policy ${path}: ${message}`, subject: path });
    if (!clean || clean.startsWith('/') || clean.split('/').some((s) => s === '' || s === '.' || s === '..'))
        return invalid('not a plain repository-relative path');
    // Without a ref GitHub answers from the default branch: no read of the repository is needed.
    const at = ref ?? 'the default branch';
    try {
        let data;
        try {
            ({ data } = await client.request(`GET /repos/{owner}/{repo}/contents/${encodePath(clean)}`, { owner, repo, ...(ref ? { ref } : {}) }));
        }
        catch (error) {
            if (statusOf(error) === 404)
                return { status: 'failed', code: 'CONFIG_MISSING', message: `policy ${path} not found at ${at}`, subject: path };
            throw failure(error, `policy ${path}`, POLICY_HINT);
        }
        if (Array.isArray(data))
            return invalid('is a directory');
        const file = (data ?? {});
        if (file.type !== 'file')
            return invalid(`is a ${String(file.type)}, not a regular file`);
        if (file.path !== clean)
            return invalid(`GitHub answered with ${String(file.path)} (a symlink?)`);
        if (typeof file.size !== 'number' || file.size > Limits$1.policyBytes)
            return invalid(`is larger than ${Limits$1.policyBytes} bytes`);
        if (file.encoding !== 'base64' || typeof file.content !== 'string')
            return invalid('content not returned as base64');
        const bytes = Buffer.from(file.content, 'base64');
        if (bytes.length > Limits$1.policyBytes)
            return invalid(`is larger than ${Limits$1.policyBytes} bytes`);
        let text;
        try {
            text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        }
        catch {
            return invalid('is not UTF-8');
        }
        return policyFromText(text, path, 'api');
    }
    catch (error) {
        const f = failure(error, `policy ${path}`, POLICY_HINT);
        return { status: 'failed', code: f.code, message: f.message, subject: path };
    }
}
/** Open before closed, then the newest number. */
const rank = (a, b) => Number(b.state === 'open') - Number(a.state === 'open') || b.number - a.number;
/** The PR whose head is the SHA; else (moved head) the PR of the head branch; never the envelope's number. */
async function findPull(client, owner, repo, target) {
    const base = `${owner}/${repo}`.toLowerCase();
    let bySha = [];
    try {
        const { data } = await client.rest.repos.listPullRequestsAssociatedWithCommit({ owner, repo, commit_sha: target.headSha, per_page: PER_PAGE });
        bySha = data;
    }
    catch (error) {
        // 404/422: GitHub does not know the commit here; the branch fallback still runs.
        if (statusOf(error) !== 404 && statusOf(error) !== 422)
            throw failure(error, 'pull requests of the head SHA', 'the workflow needs `permissions: pull-requests: read`');
    }
    const sameBase = (p) => !p.base.repo || p.base.repo.full_name.toLowerCase() === base;
    const exact = bySha.filter((p) => p.head.sha === target.headSha && sameBase(p)).sort(rank);
    if (exact[0])
        return exact[0];
    const headOwner = target.headOwner ?? owner;
    let byBranch;
    try {
        const { items } = await pages(client.paginate.iterator(client.rest.pulls.list, { owner, repo, head: `${headOwner}:${target.headRef}`, state: 'all', per_page: PER_PAGE }));
        byBranch = items;
    }
    catch (error) {
        throw failure(error, 'pull requests of the head branch', 'the workflow needs `permissions: pull-requests: read`');
    }
    const ofBranch = byBranch.filter((p) => p.head.ref === target.headRef && sameBase(p) && (!p.head.repo || p.head.repo.full_name.split('/')[0]?.toLowerCase() === headOwner.toLowerCase()));
    return ofBranch.filter((p) => p.head.sha === target.headSha).sort(rank)[0] ?? ofBranch.sort(rank)[0] ?? null;
}
/** Live SHA of `refs/heads/<ref>`; null when the branch does not exist. */
async function branchHead(client, owner, repo, headRef) {
    try {
        const { data } = await client.request(`GET /repos/{owner}/{repo}/git/ref/heads/${encodePath(headRef)}`, { owner, repo });
        const ref = data;
        if (ref.ref !== `refs/heads/${headRef}` || ref.object?.type !== 'commit' || typeof ref.object.sha !== 'string')
            return null;
        return ref.object.sha;
    }
    catch (error) {
        if (statusOf(error) === 404)
            return null;
        throw failure(error, `branch ${headRef}`, 'the workflow needs `permissions: contents: read`');
    }
}
/** Changed files with new-side hunks; null (unknown, scope fails closed) when the list was cut at the page bound. */
async function changedFiles(client, owner, repo, number) {
    try {
        const { items, complete } = await pages(client.paginate.iterator(client.rest.pulls.listFiles, { owner, repo, pull_number: number, per_page: PER_PAGE }));
        if (!complete || items.length > 10_000)
            return null;
        return items.map((f) => {
            // No patch (binary, or a diff too large for GitHub to show): changed, with no reviewable lines.
            const hunks = typeof f.patch === 'string' ? newSideHunks(f.patch) : [];
            return { path: f.filename, hunks: hunks.length > 10_000 ? [] : hunks };
        });
    }
    catch (error) {
        throw failure(error, `files of pull request #${number}`, 'the workflow needs `permissions: pull-requests: read`');
    }
}
/** Logins of the authors and committers of the PR's commits (GitHub lists at most 250 commits). */
async function commitPeople(client, owner, repo, number) {
    try {
        const { items } = await pages(client.paginate.iterator(client.rest.pulls.listCommits, { owner, repo, pull_number: number, per_page: PER_PAGE }));
        const logins = new Set();
        for (const c of items)
            for (const who of [c.author?.login, c.committer?.login])
                if (who)
                    logins.add(who);
        return [...logins].sort().slice(0, 1000);
    }
    catch (error) {
        throw failure(error, `commits of pull request #${number}`, 'the workflow needs `permissions: pull-requests: read`');
    }
}
/**
 * Every check run on the SHA (`filter=all`, so the writer can find its own earlier runs by
 * `external_id` in the same list); the confirm gate takes the newest of each name. A list cut at
 * the page bound only loses runs: a gate then finds no confirmation and blocks, and the cut list is
 * not offered to the writer.
 */
async function checkRuns(client, owner, repo, sha, lookups) {
    try {
        const { items, complete } = await pages(client.paginate.iterator(client.rest.checks.listForRef, { owner, repo, ref: sha, filter: 'all', per_page: PER_PAGE }));
        if (complete)
            lookups?.putCheckRuns(sha, items);
        return items.map((r) => ({ id: r.id, name: r.name, headSha: r.head_sha, status: r.status, conclusion: r.conclusion ?? null }));
    }
    catch (error) {
        throw failure(error, `check runs of ${sha.slice(0, 12)}`, 'the workflow needs `permissions: checks: read`');
    }
}
const ACTIONS_HINT = 'the workflow needs `permissions: actions: read` to read environment approvals and settings';
async function approvals(client, owner, repo, runId) {
    try {
        const { data } = await client.rest.actions.getReviewsForRun({ owner, repo, run_id: runId });
        if (!Array.isArray(data))
            throw new ReadFailure('API_FAILED', `approvals of run ${runId}: not a list`);
        return data.flatMap((a) => a.user?.login ? (a.environments ?? []).flatMap((e) => (e.name ? [{ environment: e.name, state: a.state, user: a.user.login }] : [])) : []);
    }
    catch (error) {
        throw failure(error, `approvals of run ${runId}`, ACTIONS_HINT);
    }
}
/** Safe only when GitHub says so: a missing member counts as the unsafe default (FACTS: both default unsafe). */
async function environment(client, owner, repo, name) {
    try {
        const { data } = await client.request(`GET /repos/{owner}/{repo}/environments/${encodeURIComponent(name)}`, { owner, repo });
        const env = data;
        const reviewers = (env.protection_rules ?? []).filter((r) => r.type === 'required_reviewers');
        return {
            [name]: { preventSelfReview: reviewers.length > 0 && reviewers.every((r) => r.prevent_self_review === true), canAdminsBypass: env.can_admins_bypass !== false },
        };
    }
    catch (error) {
        // No such environment: settings unknown, which the engine treats as unsafe.
        if (statusOf(error) === 404)
            return {};
        throw failure(error, `environment ${name}`, ACTIONS_HINT);
    }
}
/**
 * Live facts for the engine (origin `live`). Reads, in order: the PR whose head is the SHA
 * (fallback: PRs of the head branch); the head branch's SHA and the default branch only when no PR
 * answered them (a PR carries its live head and its base repository); for a PR its files; then only
 * what the policy needs: check runs for confirmations (or for the writer's check run), approvals,
 * commit people for self-approval (only when an approval exists: without one the run is blocked
 * whoever the people are) and environment settings. Without a policy (missing or invalid: nothing will be written) the
 * policy-driven reads are skipped.
 *
 * The PR's head is GitHub's view of the branch; right after a push it may lag the branch by
 * seconds. The writes go to the commit GitHub shows on the PR, so staleness is judged on it.
 */
async function readFacts(client, target, policy, options = {}) {
    const { owner, repo } = split(target.repository);
    try {
        const pr = await findPull(client, owner, repo, target);
        const fork = !!pr && pr.head.repo?.full_name.toLowerCase() !== target.repository.toLowerCase();
        const headSha = pr && (fork || pr.head.ref === target.headRef) ? pr.head.sha : await branchHead(client, owner, repo, target.headRef);
        const defaultBranch = pr?.base.repo?.default_branch || (await defaultBranchOf(client, owner, repo));
        const files = pr ? await changedFiles(client, owner, repo, pr.number) : null;
        if (pr)
            options.lookups?.putLabels(pr.number, (pr.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean));
        const approval = policy && policy.approval !== 'none' ? policy.approval : undefined;
        const confirm = policy ? Object.keys(policy.gates['confirm-check-runs']).length > 0 : false;
        const writesCheckRun = policy?.writes['check-run'] === 'allow' && (target.intents ?? []).includes('check-run');
        const runs = confirm || writesCheckRun ? await checkRuns(client, owner, repo, target.headSha, options.lookups) : [];
        const approved = approval && target.runId !== undefined ? await approvals(client, owner, repo, target.runId) : [];
        // Without an approval of the environment the run is blocked (APPROVAL_MISSING) whoever the people are.
        const anyApproval = approved.some((a) => approval && a.environment === approval.environment && a.state === 'approved');
        const headCommitAuthors = pr && anyApproval && approval?.['forbid-self-approval'] ? await commitPeople(client, owner, repo, pr.number) : [];
        // Read even without an approval: the report then names every blocker an operator must fix.
        const environments = approval?.['require-safe-environment'] ? await environment(client, owner, repo, approval.environment) : {};
        const facts = {
            origin: 'live',
            repository: target.repository,
            event: target.event,
            actor: target.actor,
            defaultBranch,
            headSha,
            pullRequest: pr
                ? {
                    number: pr.number,
                    ...(pr.html_url ? { url: pr.html_url } : {}),
                    state: pr.state === 'open' ? 'open' : 'closed',
                    draft: pr.draft === true,
                    author: pr.user?.login ?? 'ghost',
                    headSha: pr.head.sha,
                    headRef: pr.head.ref,
                    baseSha: pr.base.sha,
                    baseRef: pr.base.ref,
                    labels: (pr.labels ?? []).map((l) => (typeof l === 'string' ? l : (l.name ?? ''))).filter(Boolean),
                }
                : null,
            files,
            headCommitAuthors,
            checkRuns: runs,
            approvals: approved,
            environments,
        };
        const parsed = safeParse(Facts, facts);
        if (!parsed.success)
            return {
                status: 'failed',
                code: 'API_FAILED',
                message: `live facts: GitHub's answers did not fit the contract: ${parsed.issues.slice(0, Limits$1.maxIssues).map((i) => `${getDotPath(i) ?? ''} ${i.message}`.trim()).join('; ')}`,
                subject: 'facts',
            };
        return { status: 'ok', value: parsed.output, source: 'api' };
    }
    catch (error) {
        const f = failure(error, 'live facts');
        return { status: 'failed', code: f.code, message: f.message, ...(f.subject ? { subject: f.subject } : {}) };
    }
}

/**
 * Sources without GitHub (no token, or no repository in the environment): nothing is fetched,
 * every document that is not a local file is reported missing (fail closed), and facts are the
 * assumed ones, which never allow a live write.
 */
const offlineSources = {
    policy: async (settings) => ({
        status: 'failed',
        code: 'CONFIG_MISSING',
        message: `policy ${settings.config} was not read: without a token and GITHUB_REPOSITORY the policy comes only from config-path`,
    }),
    envelope: async (settings) => ({
        status: 'failed',
        code: 'ENVELOPE_MISSING',
        message: `artifact ${settings.envelope} was not read: artifacts need a token, GITHUB_RUN_ID and RUNNER_TEMP; else use envelope-path`,
    }),
    evidence: async (settings) => ({
        status: 'failed',
        code: 'EVIDENCE_MISSING',
        message: `artifact ${settings.evidence} was not read: artifacts need a token, GITHUB_RUN_ID and RUNNER_TEMP; else use evidence-path`,
    }),
    facts: async (_settings, { fallback }) => ({ status: 'ok', value: fallback, source: 'assumed' }),
};
/**
 * Sources that read GitHub through the firewalled client: the policy from the trusted ref, the
 * envelope and evidence from workflow artifacts (`run-id`, else the default run), and the live facts.
 * Without an artifact store (no RUNNER_TEMP or run id) the documents are missing: fail closed.
 */
function githubSources(client, run, lookups, artifacts) {
    const request = (name, settings) => {
        const runId = settings.runId ?? run.artifactRunId;
        return artifacts && runId !== undefined && run.tempDir ? { name, runId, tempDir: run.tempDir } : undefined;
    };
    return {
        ...offlineSources,
        envelope: (settings) => {
            const req = request(settings.envelope, settings);
            return req && artifacts ? envelopeFromArtifact(artifacts, req) : offlineSources.envelope(settings);
        },
        evidence: (settings) => {
            const req = request(settings.evidence, settings);
            return req && artifacts ? evidenceFromArtifact(artifacts, req) : offlineSources.evidence(settings);
        },
        policy: (settings) => readPolicyFile(client, run.repository, settings.config, settings.configRef),
        facts: async (_settings, { envelope, policy, fallback }) => {
            if (!envelope)
                return { status: 'ok', value: fallback, source: 'assumed' };
            const { target } = envelope;
            return readFacts(client, {
                repository: run.repository,
                event: run.event,
                actor: run.actor,
                ...(run.runId ? { runId: run.runId } : {}),
                headSha: target.headSha,
                headRef: target.headRef,
                ...(target.pullRequest ? { pullRequest: target.pullRequest } : {}),
                intents: envelope.intent,
            }, policy, lookups ? { lookups } : {});
        },
    };
}

/** Largest event payload read for the `workflow_run` run id (GitHub's payloads are far smaller). */
const MAX_EVENT_BYTES = 25 * 1024 * 1024;
/** The event payload the runner wrote (GITHUB_EVENT_PATH), parsed; undefined when there is none or it cannot be read as JSON within the size cap. */
function eventPayload(env) {
    if (!env.GITHUB_EVENT_PATH)
        return undefined;
    try {
        if (statSync(env.GITHUB_EVENT_PATH).size > MAX_EVENT_BYTES)
            return undefined;
        return { value: JSON.parse(readFileSync(env.GITHUB_EVENT_PATH, 'utf8')) };
    }
    catch {
        return undefined;
    }
}
/** The `workflow_run` event's run id, from the payload the runner wrote; undefined for other events or an unreadable payload. */
function workflowRunIdOf(env) {
    if (env.GITHUB_EVENT_NAME !== 'workflow_run')
        return undefined;
    const id = eventPayload(env)?.value?.workflow_run?.id;
    return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
/**
 * Whether GITHUB_EVENT_PATH names a payload the libraries can be left to read. @actions/github builds
 * its `context` when it is imported (and @actions/artifact imports it) by reading and `JSON.parse`-ing
 * that file unguarded and uncapped: a payload that is not JSON would throw there and end the run as an
 * unexpected error. The action uses only the run id from it (above); nothing reads the libraries' copy.
 */
function eventPayloadUnreadable(env) {
    return env.GITHUB_EVENT_PATH !== undefined && env.GITHUB_EVENT_PATH !== '' && existsSync(env.GITHUB_EVENT_PATH) && eventPayload(env) === undefined;
}
const positive = (text) => {
    const n = Number(text);
    return Number.isSafeInteger(n) && n > 0 ? n : undefined;
};
/** GitHub as the runner describes it (GITHUB_* variables), reached only through the firewall. */
function connect(env) {
    const writes = { allowed: false };
    const lookups = new FirstLookups();
    let made;
    let ports;
    let documents;
    const repository = env.GITHUB_REPOSITORY ?? '';
    const currentRunId = positive(env.GITHUB_RUN_ID);
    // SPEC §2: run-id defaults to the workflow_run event's run, else the current run.
    const artifactRunId = workflowRunIdOf(env) ?? currentRunId;
    const client = async (settings) => {
        if (!settings.token || !repository)
            return undefined;
        made ??= import('./chunks/client-C11ZeN4B.js').then(({ createClient }) => createClient({ token: settings.token, repository, writes, ...(env.GITHUB_API_URL ? { baseUrl: env.GITHUB_API_URL } : {}) }));
        return made;
    };
    const storage = async (settings) => {
        const octokit = await client(settings);
        if (ports || !octokit || !env.RUNNER_TEMP || currentRunId === undefined)
            return ports;
        ports = {
            artifacts: createActionsArtifactStore({ client: octokit, repository, currentRunId, token: settings.token, env }),
            ledger: createActionsLedgerStorage({ cacheDir: join(env.RUNNER_TEMP, 'publish-gate-ledger-cache') }),
        };
        return ports;
    };
    const live = async (settings) => {
        const octokit = await client(settings);
        if (!octokit)
            return offlineSources;
        const ports = await storage(settings);
        // One listing of the documents' run serves the envelope and the evidence (the ledger keeps its own store).
        if (ports && !documents)
            documents = sharedRunListing(ports.artifacts);
        return githubSources(octokit, {
            repository,
            event: env.GITHUB_EVENT_NAME ?? 'unknown',
            actor: env.GITHUB_ACTOR ?? 'unknown',
            ...(currentRunId !== undefined ? { runId: currentRunId } : {}),
            ...(artifactRunId !== undefined ? { artifactRunId } : {}),
            ...(env.RUNNER_TEMP ? { tempDir: env.RUNNER_TEMP } : {}),
        }, lookups, documents);
    };
    return {
        writes,
        lookups,
        client,
        storage,
        sources: {
            policy: async (settings) => (await live(settings)).policy(settings),
            envelope: async (settings) => (await live(settings)).envelope(settings),
            evidence: async (settings) => (await live(settings)).evidence(settings),
            facts: async (settings, context) => (await live(settings)).facts(settings, context),
        },
    };
}

/** The only place the real runner is wired in. */
function createDeps() {
    guardProcessOutput((line) => info(line));
    // A payload the bundled libraries would throw on when imported is hidden from them (see
    // eventPayloadUnreadable); the action itself then has no workflow_run id from it either. The
    // warning is our own fixed text.
    if (eventPayloadUnreadable(process.env)) {
        delete process.env.GITHUB_EVENT_PATH;
        warning('The event payload (GITHUB_EVENT_PATH) is not readable JSON within 25 MiB: it was ignored.');
    }
    const connection = connect(process.env);
    return {
        io: {
            getInput: (name) => getInput(name),
            setOutput: (name, value) => setOutput(name, value),
            setSecret: (value) => setSecret(value),
            info: (message) => info(message),
            // @actions/core escapes property values (`:`, `,`, `%`, line breaks); SafeOutput has already
            // redacted them and dropped a file path that is not a plain relative path.
            notice: (message, properties) => notice(message, properties),
            warning: (message, properties) => warning(message, properties),
            error: (message, properties) => error(message, properties),
            startGroup: (name) => startGroup(name),
            endGroup: () => endGroup(),
            setFailed: (message) => setFailed(message),
            writeSummary: async (markdown) => {
                await summary.addRaw(markdown, true).write();
            },
        },
        env: process.env,
        readFile: readTextFile,
        sources: connection.sources,
        github: connection,
        createRedactor: (secrets) => createRedactor({ secrets }),
        now: () => new Date(),
    };
}
/**
 * Runs the action and exits explicitly (as actions/cache does), so sockets left open by retries
 * cannot keep the process alive. An unexpected error still sets every decision output and blocks.
 */
async function main(deps = createDeps()) {
    let code;
    try {
        code = (await run(deps)).exitCode;
    }
    catch (error) {
        // The details go to the log only, where the runner masks registered secrets; the outputs,
        // which nothing masks, get a fixed message.
        const detail = logSafe(error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(0, 2000);
        const message = 'unexpected error; the step log has the details';
        try {
            deps.io.error(`Publish Gate: ${detail}`);
            // Every output of SPEC §3 is set on this path too: the ones with no value here are empty.
            const values = {
                [Outputs.Decision]: 'blocked',
                [Outputs.Blockers]: JSON.stringify([{ code: 'API_FAILED', message }]),
                [Outputs.Plan]: '[]',
                [Outputs.Writes]: '[]',
                [Outputs.LedgerPersisted]: 'false',
            };
            for (const name of Object.values(Outputs))
                deps.io.setOutput(name, values[name] ?? '');
            deps.io.setFailed(message);
        }
        catch {
            // The runner's files are unwritable: the exit code is all that is left.
        }
        code = 1;
    }
    process.exit(code);
}

void main();

export { FirewallError as F, ZIP_CAPS as Z, isDebug as a, debug as d, error as e, info as i, setSecret as s, warning as w };
