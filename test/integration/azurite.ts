/**
 * Azurite (the Azure Storage emulator, devDependency `azurite`) as a real blob endpoint for
 * integration tests of `@actions/artifact` and `@actions/cache`.
 *
 * - Started as a child process: `<node> node_modules/azurite/dist/src/blob/main.js` (the package's
 *   `azurite-blob` bin), on 127.0.0.1 port 0 (Azurite prints the port it got), with
 *   `--inMemoryPersistence` (which Azurite refuses together with `--location`; the child runs in a
 *   temporary cwd instead),
 *   `--silent`, `--loose`, `--skipApiVersionCheck` (the SDKs send newer API versions than Azurite
 *   knows) and `--disableTelemetry`. Without `--disableTelemetry` Azurite 3.3x sends usage data to
 *   Application Insights over the internet.
 * - The child is started with an IPC channel and a tiny `--import` preload that exits when the
 *   channel closes, so a crashed or killed test process does not leave Azurite running.
 * - Azurite needs Node >= 22; the child uses the test's own Node when it is new enough, otherwise the
 *   `node` devDependency's binary.
 * - URLs are path style (`http://127.0.0.1:<port>/devstoreaccount1/<container>/<blob>`), which is what
 *   the SDK expects for an IP host. SAS tokens are signed with Azurite's well-known development key
 *   through `generateBlobSASQueryParameters`, so Azurite verifies real signatures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  BlobSASPermissions,
  BlobServiceClient,
  type ContainerClient,
  SASProtocol,
  StorageSharedKeyCredential,
  generateBlobSASQueryParameters,
} from '@azure/storage-blob';

export const AZURITE_ACCOUNT = 'devstoreaccount1';
/** Azurite's documented, public development key (not a secret). */
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export class AzuriteUnavailableError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'AzuriteUnavailableError';
  }
}

export interface SasOptions {
  /** Lifetime of the signature; default 1 hour. */
  ttlMs?: number;
  /** Sent back by Azurite as `Content-Disposition` on download (`rscd`). */
  contentDisposition?: string;
  /** Sent back by Azurite as `Content-Type` on download (`rsct`). */
  contentType?: string;
}

export interface AzuriteHandle {
  /** Account URL, e.g. `http://127.0.0.1:41234/devstoreaccount1`. */
  url: string;
  host: string;
  port: number;
  account: typeof AZURITE_ACCOUNT;
  key: string;
  /** The container created at start. */
  container: string;
  credential: StorageSharedKeyCredential;
  containerClient: ContainerClient;
  /** A signed URL for one blob in `container`. `permissions` as in Azure: `r`, `racw`, ... */
  sasUrl(blobName: string, permissions: string, options?: SasOptions): string;
  /** Writes a block blob with shared-key auth (seeding, tampering). */
  putBlob(blobName: string, bytes: Uint8Array, contentType?: string): Promise<void>;
  /** Reads a blob, or `undefined` when it does not exist. */
  getBlob(blobName: string): Promise<Buffer | undefined>;
  /** Content type stored with a blob, or `undefined` when it does not exist. */
  blobContentType(blobName: string): Promise<string | undefined>;
  /** Azurite's stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export interface StartAzuriteOptions {
  container?: string;
  startTimeoutMs?: number;
}

const require = createRequire(import.meta.url);

function azuriteBlobMain(): string {
  const pkgPath = require.resolve('azurite/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { bin?: Record<string, string> };
  const bin = pkg.bin?.['azurite-blob'] ?? './dist/src/blob/main.js';
  return join(dirname(pkgPath), bin);
}

function nodeForAzurite(): string {
  const major = Number(process.versions.node.split('.')[0]);
  if (major >= 22) return process.execPath;
  try {
    const pkgPath = require.resolve('node/package.json');
    const candidate = join(dirname(pkgPath), 'bin', 'node');
    if (existsSync(candidate)) return candidate;
  } catch {
    // fall through
  }
  return process.execPath;
}

/**
 * Exits the child when its IPC channel to the test process closes. The channel is unref'd, or it
 * would keep Azurite alive after its own SIGTERM shutdown.
 */
const PARENT_WATCH = `data:text/javascript,${encodeURIComponent('process.on("disconnect",()=>process.exit(0));process.channel?.unref();')}`;

export async function startAzurite(options: StartAzuriteOptions = {}): Promise<AzuriteHandle> {
  const container = options.container ?? 'actions-results';
  const startTimeoutMs = options.startTimeoutMs ?? 20_000;
  const location = mkdtempSync(join(tmpdir(), 'azurite-'));
  let main: string;
  try {
    main = azuriteBlobMain();
  } catch (error) {
    rmSync(location, { recursive: true, force: true });
    throw new AzuriteUnavailableError(`azurite is not installed: ${(error as Error).message}`, '');
  }
  const args = [
    '--import',
    PARENT_WATCH,
    main,
    '--blobHost',
    '127.0.0.1',
    '--blobPort',
    '0',
    '--inMemoryPersistence',
    '--silent',
    '--loose',
    '--skipApiVersionCheck',
    '--disableTelemetry',
    '--disableProductStyleUrl',
  ];
  const child: ChildProcess = spawn(nodeForAzurite(), args, {
    // `--inMemoryPersistence` refuses `--location`; the temporary cwd catches any stray file.
    cwd: location,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    // AZURITE_ACCOUNTS would replace the well-known development account.
    env: Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'AZURITE_ACCOUNTS')),
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const cleanupFailedStart = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    rmSync(location, { recursive: true, force: true });
  };

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new AzuriteUnavailableError(`Azurite did not listen within ${startTimeoutMs} ms`, out)), startTimeoutMs);
    const onData = () => {
      const m = /successfully listens on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout?.on('data', onData);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new AzuriteUnavailableError(`Azurite could not be spawned: ${error.message}`, out));
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new AzuriteUnavailableError(`Azurite exited with code ${code} before listening`, out));
    });
  }).catch(async (error: unknown) => {
    await cleanupFailedStart();
    throw error;
  });

  const url = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT}`;
  const credential = new StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY);
  const serviceClient = new BlobServiceClient(url, credential, { retryOptions: { maxTries: 1 } });
  const containerClient = serviceClient.getContainerClient(container);
  try {
    await containerClient.createIfNotExists();
  } catch (error) {
    await cleanupFailedStart();
    throw new AzuriteUnavailableError(`Azurite started but the container could not be created: ${(error as Error).message}`, out);
  }

  let stopped = false;
  return {
    url,
    host: '127.0.0.1',
    port,
    account: AZURITE_ACCOUNT,
    key: AZURITE_KEY,
    container,
    credential,
    containerClient,
    sasUrl(blobName, permissions, sas = {}) {
      const now = Date.now();
      const query = generateBlobSASQueryParameters(
        {
          containerName: container,
          blobName,
          permissions: BlobSASPermissions.parse(permissions),
          startsOn: new Date(now - 5 * 60_000),
          expiresOn: new Date(now + (sas.ttlMs ?? 3_600_000)),
          protocol: SASProtocol.HttpsAndHttp,
          ...(sas.contentDisposition === undefined ? {} : { contentDisposition: sas.contentDisposition }),
          ...(sas.contentType === undefined ? {} : { contentType: sas.contentType }),
        },
        credential,
      ).toString();
      return `${containerClient.getBlockBlobClient(blobName).url}?${query}`;
    },
    async putBlob(blobName, bytes, contentType) {
      await containerClient.getBlockBlobClient(blobName).uploadData(bytes, contentType ? { blobHTTPHeaders: { blobContentType: contentType } } : {});
    },
    async getBlob(blobName) {
      const blob = containerClient.getBlockBlobClient(blobName);
      if (!(await blob.exists())) return undefined;
      return blob.downloadToBuffer();
    },
    async blobContentType(blobName) {
      const blob = containerClient.getBlockBlobClient(blobName);
      if (!(await blob.exists())) return undefined;
      return (await blob.getProperties()).contentType;
    },
    output: () => out,
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        // Azurite shuts down cleanly on SIGTERM; force it after 5 s.
        child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(force);
      }
      rmSync(location, { recursive: true, force: true });
    },
  };
}

/**
 * Azurite for a suite, or the reason it could not start (printed once): the suite then skips, so a
 * machine without it still passes `npm test`.
 */
export async function azuriteOrSkip(suite: string): Promise<{ azurite?: AzuriteHandle; skipReason?: string }> {
  try {
    return { azurite: await startAzurite() };
  } catch (error) {
    if (!(error instanceof AzuriteUnavailableError)) throw error;
    const skipReason = `Azurite could not start: ${error.message}\n${error.output}`;
    console.warn(`[${suite}] SKIPPED — ${skipReason}`);
    return { skipReason };
  }
}
