/**
 * Many connections at once, for the scale suite: opens `count` TCP connections to a Kafka-protocol
 * server together, and on each sends ApiVersions (v3) and Metadata (v12, one topic) back to back;
 * resolves when every connection has both answers, with the milliseconds that took. The sockets
 * stay open until `close()`, so the server's memory can be read with all of them connected.
 */
import { type Socket, connect } from 'node:net';
import { ApiKey, ZERO_UUID, encodeRequestFrame } from '../src/protocol/index.js';

export interface OpenConnections {
  ms: number;
  close(): void;
}

function requests(topic: string): Buffer {
  const apiVersions = encodeRequestFrame(
    { apiKey: ApiKey.ApiVersions, apiVersion: 3, correlationId: 1, clientId: 'samsa-bench' },
    { clientSoftwareName: 'samsa-bench', clientSoftwareVersion: '1' },
  );
  const metadata = encodeRequestFrame(
    { apiKey: ApiKey.Metadata, apiVersion: 12, correlationId: 2, clientId: 'samsa-bench' },
    { topics: [{ topicId: ZERO_UUID, name: topic }], allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false },
  );
  return Buffer.concat([...apiVersions, ...metadata]);
}

/** Resolves once `socket` has received `frames` whole response frames. */
function awaitFrames(socket: Socket, frames: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffered: Buffer = Buffer.alloc(0);
    let seen = 0;
    socket.on('data', (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        buffered = buffered.subarray(4 + buffered.readInt32BE(0));
        if (++seen === frames) resolve();
      }
    });
    socket.once('error', reject);
    socket.once('close', () => { if (seen < frames) reject(new Error(`connection closed after ${seen} of ${frames} answers`)); });
  });
}

export async function openConnections(port: number, count: number, topic: string, timeoutMs: number): Promise<OpenConnections> {
  const payload = requests(topic);
  const sockets: Socket[] = [];
  const close = (): void => { for (const s of sockets) s.destroy(); };
  const start = performance.now();
  const answered: Array<Promise<void>> = [];
  for (let i = 0; i < count; i++) {
    const socket = connect({ host: '127.0.0.1', port });
    sockets.push(socket);
    answered.push(awaitFrames(socket, 2));
    socket.once('connect', () => socket.write(payload));
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${count} connections: not all answered in ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([Promise.all(answered), timeout]);
  } catch (e) {
    close();
    throw e;
  } finally {
    clearTimeout(timer);
  }
  return { ms: performance.now() - start, close };
}
