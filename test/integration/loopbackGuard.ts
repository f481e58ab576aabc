/**
 * Records every outgoing TCP connection of this process and refuses those to non-loopback hosts.
 *
 * Node's `http`/`https` agents and undici (which `@actions/github` uses) all end in
 * `net.Socket.prototype.connect`, so patching it sees every connection the libraries make. A
 * refused connection fails with `EHOSTUNREACH` (which the Actions libraries treat as a network
 * error and do not retry) before any DNS lookup. Unix-socket and IPC connections are allowed.
 *
 * It does not see child processes (Azurite is started with `--disableTelemetry` for that).
 */
import net from 'node:net';

export interface Connection {
  host: string;
  port: number | undefined;
  allowed: boolean;
}

export interface LoopbackGuard {
  connections: Connection[];
  /** Connections that were refused (non-loopback). */
  refused(): Connection[];
  uninstall(): void;
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || h === '::ffff:127.0.0.1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

function target(args: unknown[]): { host: string; port: number | undefined } | { path: string } {
  let first = args[0];
  // Node's internal calls pass normalized arguments: [options, callback].
  if (Array.isArray(first)) first = first[0];
  if (first !== null && typeof first === 'object') {
    const o = first as { host?: string; port?: number | string; path?: string };
    if (o.path) return { path: o.path };
    return { host: o.host ?? 'localhost', port: o.port === undefined ? undefined : Number(o.port) };
  }
  if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
  }
  return { path: String(first) };
}

let installed: LoopbackGuard | undefined;

export function installLoopbackGuard(): LoopbackGuard {
  if (installed) return installed;
  const proto = net.Socket.prototype as unknown as { connect: (...args: unknown[]) => net.Socket };
  const original = proto.connect;
  const connections: Connection[] = [];
  proto.connect = function (this: net.Socket, ...args: unknown[]) {
    const t = target(args);
    if ('path' in t) return original.apply(this, args);
    const allowed = isLoopbackHost(t.host);
    connections.push({ host: t.host, port: t.port, allowed });
    if (!allowed) {
      const error = Object.assign(new Error(`loopback guard: refused connection to ${t.host}:${t.port}`), { code: 'EHOSTUNREACH' });
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return original.apply(this, args);
  };
  installed = {
    connections,
    refused: () => connections.filter((c) => !c.allowed),
    uninstall() {
      proto.connect = original;
      installed = undefined;
    },
  };
  return installed;
}
