/**
 * The consume baseline: a bare Node server that streams files over a socket, and a client that
 * reads until the end and discards. Each runs as its own process:
 *
 *   node dist/bench/file-serve.js server FILE...   prints `ready on PLAINTEXT://127.0.0.1:PORT`;
 *                                                  each connection gets every file in order, then EOF
 *   node dist/bench/file-serve.js client PORT      prints `BYTES SECONDS` (connect to EOF)
 */
import { createReadStream } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { pathToFileURL } from 'node:url';

const HIGH_WATER_MARK = 1024 * 1024;

async function serve(files: string[]): Promise<void> {
  const server = createServer((socket) => {
    socket.on('error', () => socket.destroy());
    void (async () => {
      for (const file of files) {
        if (socket.destroyed) return;
        await new Promise<void>((resolve, reject) => {
          const stream = createReadStream(file, { highWaterMark: HIGH_WATER_MARK });
          stream.once('error', reject);
          stream.once('end', () => resolve());
          stream.pipe(socket, { end: false });
        });
      }
      socket.end();
    })().catch(() => socket.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  process.once('SIGTERM', () => process.exit(0));
  console.log(`ready on PLAINTEXT://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

function client(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    let bytes = 0;
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    socket.once('error', reject);
    socket.once('end', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      console.log(`${bytes} ${seconds}`);
      socket.destroy();
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'server' && rest.length > 0) await serve(rest);
  else if (mode === 'client' && rest.length === 1) await client(Number(rest[0]));
  else throw new Error('usage: file-serve.js server FILE... | client PORT');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
