import type { GitHubClient } from './client.js';

/** The workflow token's login: the author of everything it writes. */
export const WORKFLOW_IDENTITY = 'github-actions[bot]';

/**
 * The login the token writes as, asked at most once and only when a lookup needs it. Installation
 * tokens (`ghs_`: the workflow token, or a GitHub App's) cannot ask (GET /user answers 403 for
 * them) and are taken as the workflow token's bot; a GitHub App's own token therefore does not
 * recognise its earlier comments (README, "Tokens"). Any other token (a personal access token,
 * OAuth or user token) is asked through GET /user; a failure fails the lookup that needed it.
 */
export function tokenIdentity(client: GitHubClient, token: string): () => Promise<string> {
  let asked: Promise<string> | undefined;
  return () => {
    if (token.startsWith('ghs_') || !token) return Promise.resolve(WORKFLOW_IDENTITY);
    asked ??= client.rest.users.getAuthenticated().then(({ data }) => {
      if (typeof data.login !== 'string' || !data.login) throw new Error('GitHub reported no login for the token');
      return data.login;
    });
    // A failed answer is not remembered: the next lookup asks again.
    asked.catch(() => (asked = undefined));
    return asked;
  };
}

const lower = (s: string) => s.toLowerCase();

/** Whether a user is the identity (logins compare case-insensitively). */
export function isIdentity(user: { login?: string } | null | undefined, identity: string): boolean {
  return !!user?.login && lower(user.login) === lower(identity);
}

/** Whether a check run was made by the identity's app: `<slug>[bot]` is the app's login. */
export function isIdentityApp(app: { slug?: string | null } | null | undefined, identity: string): boolean {
  return !!app?.slug && lower(`${app.slug}[bot]`) === lower(identity);
}
