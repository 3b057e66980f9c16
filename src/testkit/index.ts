/**
 * samsa/testkit: a real Samsa broker in-process, on an ephemeral port, for tests.
 *
 *   const broker = await startBroker();
 *   // … point any Kafka client at broker.bootstrap …
 *   await broker.stop();
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Broker } from '../broker/broker.js';
import { silentLogger, type BrokerLogger } from '../broker/logger.js';
import { loadBrokerConfig } from '../broker/single-node.js';
import { MemoryFileSystem } from '../common/fs-memory.js';

export interface StartBrokerOptions {
  /** Where the data goes; a fresh temporary directory (removed on stop) when not given. */
  dataDir?: string;
  /** Keep the data in memory instead of on disk (fast; gone on stop). */
  inMemory?: boolean;
  /** Broker and topic-default configs by Kafka's names, e.g. { 'num.partitions': '3' }. */
  config?: Readonly<Record<string, string>>;
  logger?: BrokerLogger;
}

export interface TestBroker {
  readonly broker: Broker;
  /** host:port for clients' bootstrap.servers. */
  readonly bootstrap: string;
  readonly port: number;
  readonly dataDir: string;
  /** Stops the broker; a temporary data dir is removed unless keepData is set. */
  stop(options?: { keepData?: boolean }): Promise<void>;
}

export async function startBroker(options: StartBrokerOptions = {}): Promise<TestBroker> {
  const temporary = options.dataDir === undefined && !options.inMemory;
  const dataDir = options.dataDir ?? (options.inMemory ? '/samsa-data' : await mkdtemp(join(tmpdir(), 'samsa-testkit-')));
  const overrides = Object.entries({ listeners: 'PLAINTEXT://127.0.0.1:0', 'log.dirs': dataDir, ...options.config }).map(([k, v]) => `${k}=${v}`);
  const config = loadBrokerConfig({ overrides });
  const fs = options.inMemory ? new MemoryFileSystem() : undefined;
  const broker = await Broker.start({ config, logger: options.logger ?? silentLogger, ...(fs ? { fs } : {}) });
  const port = broker.listeners[0]?.port ?? 0;
  return {
    broker,
    bootstrap: broker.bootstrapAddress,
    port,
    dataDir,
    async stop(stopOptions = {}) {
      await broker.stop();
      if (temporary && !stopOptions.keepData) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
