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
import { createHash } from 'node:crypto';
import type { ContentPipeline } from '../content/pipeline.js';
import { findClosingReferences } from '../content/markdown/closingKeywords.js';
import { foldWidth } from '../content/markdown/fold.js';
import { sanitizePlain } from '../content/markdown/index.js';
import { findMentions, normalizeMentions } from '../content/markdown/mentions.js';
import { type Range, mergeRanges } from '../content/markdown/ranges.js';
import type { ChangeFile } from '../contract/envelope.js';
import type { PlanEntry, WritePayload } from '../decide/writes.js';
import { classifyApiError } from './errors.js';
import { CI_NOTE, Failure, type Handler, type HandlerCtx, type Remote, type Written, refusal } from './handler.js';
import { WORKFLOW_IDENTITY, isIdentity } from './identity.js';
import { commitCarriesMarker, commitTrailer, looksLikeTrailer } from './marker.js';

type BranchPayload = Extract<WritePayload, { kind: 'branch' }>;

/** A branch as GET /repos/{o}/{r}/branches/{branch} answers it (only what is read here). */
interface BranchJson {
  name: string;
  protected: boolean;
  commit: {
    sha: string;
    html_url?: string;
    author?: { login?: string } | null;
    commit: { message: string; tree: { sha: string }; verification?: { verified: boolean; reason?: string } | null };
  };
}

interface TreeEntry {
  path: string;
  mode: string;
  type: string;
  sha: string;
}

/** What the branch is now: absent, or its tip. */
type BranchState = { exists: false } | { exists: true; protected: boolean; ours: boolean; sha: string; tree: string; url?: string };

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');
const short = (sha: string) => sha.slice(0, 7);

/** Git's object id of a blob: sha1 over `blob <size>\0<bytes>`. */
export function gitBlobSha(bytes: Buffer): string {
  return createHash('sha1').update(`blob ${bytes.length}\u0000`).update(bytes).digest('hex');
}

function bytesOf(file: Extract<ChangeFile, { content: string }>): Buffer {
  return file.encoding === 'base64' ? Buffer.from(file.content, 'base64') : Buffer.from(file.content, 'utf8');
}

/** Ranges shown as code: closing references and mentions (none allowed in a commit message). */
function neutralize(line: string): string {
  const folded = foldWidth(line);
  const ranges: Range[] = mergeRanges([...findClosingReferences(folded), ...findMentions(line, normalizeMentions([]))]);
  let out = '';
  let at = 0;
  for (const r of ranges) {
    out += `${line.slice(at, r.start)}\`${line.slice(r.start, r.end).replaceAll('`', '')}\``;
    at = r.end;
  }
  return out + line.slice(at);
}

/** The commit message: the agent's text made safe line by line, redacted, then our trailer as the last line. */
export async function renderCommitMessage(content: ContentPipeline, message: string, key: string, ledgerKey?: string): Promise<string> {
  const lines = message
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => sanitizePlain(line))
    .filter((line) => !looksLikeTrailer(line))
    .map(neutralize);
  while (lines.length && !lines[0]) lines.shift();
  while (lines.length && !lines.at(-1)) lines.pop();
  const text = (await content.redacted(lines.join('\n').replace(/\n{3,}/g, '\n\n'))).trim() || 'Agent changes';
  return `${text}\n\n${commitTrailer(key, ledgerKey)}`;
}

export async function branchHandler(ctx: HandlerCtx, entry: PlanEntry, p: BranchPayload): Promise<Handler> {
  const { client, owner, repo } = ctx;
  const message = await renderCommitMessage(ctx.content, p.message, entry.key, ctx.ledgerKey);
  const files = p.files.map((file) =>
    'content' in file
      ? { path: file.path, deleted: false as const, mode: file.mode, encoding: file.encoding, content: file.content, sha: gitBlobSha(bytesOf(file)) }
      : { path: file.path, deleted: true as const },
  );
  /** The state `find` saw, used once by the write that follows it. */
  let observed: BranchState | undefined;
  /** The commit this run made, to recognise it after an ambiguous answer. */
  let made: string | undefined;

  const getBranch = async (name: string): Promise<BranchJson | undefined> => {
    try {
      const { data } = await client.request(`GET /repos/{owner}/{repo}/branches/${encodePath(name)}`, { owner, repo });
      return data as unknown as BranchJson;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  };

  const read = async (): Promise<BranchState> => {
    const b = await getBranch(p.branch);
    if (!b) return { exists: false };
    const me = await ctx.identity();
    const tip = b.commit;
    // Ours: the last line is our trailer for this key (valid MAC) and GitHub links the author to us.
    const ours = commitCarriesMarker(tip.commit.message, entry.key, ctx.ledgerKey) && isIdentity(tip.author, me);
    return { exists: true, protected: b.protected, ours, sha: tip.sha, tree: tip.commit.tree.sha, ...(tip.html_url ? { url: tip.html_url } : {}) };
  };

  const refuseIfNotOurs = (state: BranchState): void => {
    if (!state.exists) return;
    if (state.protected) throw refusal('BRANCH_NOT_ALLOWED', `branch ${p.branch} is protected; Publish Gate never writes to a protected branch`, 'refused: protected branch');
    if (!state.ours)
      throw refusal(
        'BRANCH_NOT_ALLOWED',
        `branch ${p.branch} exists and its tip ${short(state.sha)} is not a Publish Gate commit for this write (someone else pushed, or the branch diverged); it is only ever fast-forwarded from our own commit`,
        'refused: the branch tip is not ours',
      );
  };

  /** Trees never change (a SHA names its content): each is listed at most once. */
  const listings = new Map<string, Map<string, TreeEntry> | undefined>();
  /** Entries of a tree by path (blobs and trees), or undefined when GitHub cut the listing. */
  const listTree = async (sha: string): Promise<Map<string, TreeEntry> | undefined> => {
    if (listings.has(sha)) return listings.get(sha);
    const { data } = await client.rest.git.getTree({ owner, repo, tree_sha: sha, recursive: '1' });
    const listing = data.truncated
      ? undefined
      : new Map(data.tree.filter((e) => typeof e.path === 'string').map((e) => [e.path!, { path: e.path!, mode: e.mode ?? '', type: e.type ?? '', sha: e.sha ?? '' }]));
    listings.set(sha, listing);
    return listing;
  };

  /** Whether a file already is what the change asks for in this tree. */
  const inPlace = (tree: Map<string, TreeEntry>, f: (typeof files)[number]) => {
    const e = tree.get(f.path);
    return f.deleted ? e === undefined : e?.type === 'blob' && e.sha === f.sha && e.mode === f.mode;
  };

  const objects = async <T>(what: string, make: () => Promise<T>): Promise<T> => {
    try {
      return await make();
    } catch (error) {
      const failure = classifyApiError(error, what);
      // Unreferenced objects change nothing anyone sees: not ambiguous, a re-run makes them again.
      throw new Failure({ ...failure, ambiguous: false, message: `${failure.message} (the branch was not changed)` });
    }
  };

  const publish = async (): Promise<Written> => {
    const state = observed ?? (await read());
    observed = undefined;
    refuseIfNotOurs(state);
    let parent: string;
    let baseTree: string;
    if (state.exists) {
      parent = state.sha;
      baseTree = state.tree;
    } else {
      const base = await getBranch(p.base);
      if (!base) throw new Failure({ code: 'API_FAILED', message: `base branch ${p.base} was not found`, ambiguous: false });
      parent = base.commit.sha;
      baseTree = base.commit.commit.tree.sha;
    }
    const listing = await listTree(baseTree);
    // Files already in place are left out; a deletion of a path that is not there is dropped (GitHub refuses it).
    const needed = listing ? files.filter((f) => !inPlace(listing, f)) : files;
    if (state.exists && needed.length === 0) return { id: state.sha, ...(state.url ? { url: state.url } : {}), unchanged: true, note: 'the branch already holds these changes' };
    const tree: { path: string; mode: '100644' | '100755'; type: 'blob'; sha: string | null }[] = [];
    for (const f of needed) {
      if (f.deleted) {
        tree.push({ path: f.path, mode: '100644', type: 'blob', sha: null });
        continue;
      }
      const { data } = await objects(`create blob for ${f.path}`, () =>
        client.rest.git.createBlob({ owner, repo, content: f.content, encoding: f.encoding === 'base64' ? 'base64' : 'utf-8' }),
      );
      tree.push({ path: f.path, mode: f.mode, type: 'blob', sha: data.sha });
    }
    const newTree = (await objects('create tree', () => client.rest.git.createTree({ owner, repo, base_tree: baseTree, tree }))).data.sha;
    if (state.exists && newTree === state.tree) return { id: state.sha, ...(state.url ? { url: state.url } : {}), unchanged: true, note: 'same tree as the branch tip: no commit made' };
    const commit = (await objects('create commit', () => client.rest.git.createCommit({ owner, repo, message, tree: newTree, parents: [parent] }))).data;
    made = commit.sha;
    try {
      if (state.exists) await client.request(`PATCH /repos/{owner}/{repo}/git/refs/heads/${encodePath(p.branch)}`, { owner, repo, sha: commit.sha, force: false });
      else await client.rest.git.createRef({ owner, repo, ref: `refs/heads/${p.branch}`, sha: commit.sha });
    } catch (error) {
      const status = (error as { status?: number }).status;
      if (status === 422 || status === 409) {
        const said = String((error as { message?: string }).message ?? '').slice(0, 200);
        throw refusal(
          'BRANCH_NOT_ALLOWED',
          state.exists
            ? `GitHub refused to move branch ${p.branch} from ${short(parent)} (${status}: ${said}): it moved since it was read (not a fast-forward), or a rule protects it; it is never forced`
            : `GitHub refused to create branch ${p.branch} (${status}: ${said}): someone else created it meanwhile, or a rule protects it`,
          'refused: the branch moved or is protected',
        );
      }
      throw error;
    }
    return { id: commit.sha, url: commit.html_url, note: await notes(commit.verification) };
  };

  const notes = async (verification: { verified: boolean; reason?: string } | null | undefined): Promise<string> => {
    const signed = verification?.verified ? 'commit signed by GitHub (verified)' : `commit not signed (verification: ${verification?.reason ?? 'unknown'})`;
    return (await ctx.identity()) === WORKFLOW_IDENTITY ? `${signed}; ${CI_NOTE}` : signed;
  };

  return {
    async find(): Promise<Remote | undefined> {
      const state = await read();
      refuseIfNotOurs(state);
      if (!state.exists) {
        observed = state;
        return undefined;
      }
      const at = { id: state.sha, ...(state.url ? { url: state.url } : {}) };
      // After an ambiguous ref write: our own commit at the tip means the write happened.
      if (made && state.sha === made) return { ...at, same: true };
      const listing = await listTree(state.tree);
      const same = listing !== undefined && files.every((f) => inPlace(listing, f));
      observed = state;
      return { ...at, same };
    },
    create: publish,
    update: publish,
  };
}
