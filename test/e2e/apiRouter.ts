/**
 * One loopback "api.github.com" for end-to-end runs: the action (and `@actions/artifact`'s
 * cross-run downloads) see a single `GITHUB_API_URL`, while the requests are answered by two
 * loopback servers:
 *
 * - `/repos/{o}/{r}/actions/runs/{id}/artifacts` and `/repos/{o}/{r}/actions/artifacts/...` go to
 *   the results service (`../integration/resultsService.ts`, artifacts stored in Azurite);
 * - everything else goes to the fake GitHub (`fakeGitHub.ts`).
 *
 * Forwarded as is: method, path and query, headers (minus hop-by-hop ones; `host` names the
 * target), body. Answers come back as is, status included: a 302 and its `location` (a signed
 * Azurite URL) are passed through untouched, never followed. Connections are accepted from
 * loopback only; every forwarded request is recorded with the side that answered it.
 */
import { type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isLoopbackHost } from '../integration/loopbackGuard.js';

export type Upstream = 'results' | 'github';

export interface RoutedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  upstream: Upstream;
  /** The upstream's status, or `error` when it could not be reached. */
  status: number | 'error';
}

export interface ApiRouter {
  /** `http://127.0.0.1:<port>`: use as GITHUB_API_URL. */
  url: string;
  requests: RoutedRequest[];
  stop(): Promise<void>;
}

const RESULTS_ROUTES = [/^\/repos\/[^/]+\/[^/]+\/actions\/runs\/\d+\/artifacts$/, /^\/repos\/[^/]+\/[^/]+\/actions\/artifacts(?:\/.*)?$/];

/** Headers that describe one connection, not the message (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase())));
}

/** Which upstream answers a path (without query). */
export function upstreamOf(path: string): Upstream {
  return RESULTS_ROUTES.some((r) => r.test(path)) ? 'results' : 'github';
}

export async function startApiRouter(targets: Record<Upstream, string>): Promise<ApiRouter> {
  const requests: RoutedRequest[] = [];
  const bases = { results: new URL(targets.results), github: new URL(targets.github) };

  const forward = (req: IncomingMessage, res: ServerResponse) => {
    const url = req.url ?? '/';
    const path = new URL(url, 'http://127.0.0.1').pathname;
    const upstream = upstreamOf(path);
    const base = bases[upstream];
    const record: RoutedRequest = { method: req.method ?? 'GET', url, upstream, status: 'error' };
    requests.push(record);
    const out = request(
      { host: base.hostname, port: base.port, method: req.method, path: url, headers: { ...endToEnd(req.headers), host: base.host } },
      (answer) => {
        record.status = answer.statusCode ?? 0;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, endToEnd(answer.headers));
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      },
    );
    out.on('error', () => {
      // The upstream dropped the connection (a test may inject that): drop ours too.
      req.socket.destroy();
    });
    req.pipe(out);
  };

  const server: Server = createServer((req, res) => {
    if (!isLoopbackHost(req.socket.remoteAddress ?? '')) {
      req.socket.destroy();
      return;
    }
    forward(req, res);
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
