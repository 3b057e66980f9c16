/**
 * The produce baseline without Kafka: a bare Node server that receives length-prefixed frames,
 * checks each one's CRC32C (the native one Samsa uses) and appends them to a file, and a client
 * that streams N frames of 16 KiB as fast as the socket takes them. Each runs as its own process:
 *
 *   node dist/bench/ingest-server.js server FILE   prints `ready on PLAINTEXT://127.0.0.1:PORT`;
 *                                                  answers a connection's end with one byte
 *                                                  once everything it sent is in the file
 *   node dist/bench/ingest-server.js client PORT MB   prints `BYTES SECONDS` (connect to that byte)
 */
import { closeSync, openSync, writev } from 'node:fs';
import { type AddressInfo, connect, createServer } from 'node:net';
import { pathToFileURL } from 'node:url';
import { crc32c } from '../src/protocol/index.js';
import { FrameSplitter } from './noop-server.js';

const FRAME_BYTES = 16 * 1024;

async function serve(path: string): Promise<void> {
  const fd = openSync(path, 'w');
  let position = 0;
  // Half-open: the client's end arrives before the answer byte goes out.
  const server = createServer({ allowHalfOpen: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    let pending: Buffer[] = [];
    let writing = false;
    let ended = false;
    let checksum = 0;
    const finish = (): void => {
      if (ended && !writing && pending.length === 0) socket.end(Buffer.from([checksum & 0xff]));
    };
    const flush = (): void => {
      if (writing || pending.length === 0) return finish();
      const batch = pending;
      pending = [];
      writing = true;
      const at = position;
      for (const b of batch) position += b.length;
      writev(fd, batch, at, (err) => {
        writing = false;
        if (err) socket.destroy(err);
        else flush();
      });
    };
    const splitter = new FrameSplitter((frame) => {
      checksum ^= crc32c(frame);
      pending.push(frame);
    });
    socket.on('data', (chunk: Buffer) => {
      splitter.push(chunk);
      flush();
    });
    socket.on('end', () => {
      ended = true;
      flush();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  process.once('SIGTERM', () => {
    closeSync(fd);
    process.exit(0);
  });
  console.log(`ready on PLAINTEXT://127.0.0.1:${(server.address() as AddressInfo).port}`);
}

function client(port: number, megabytes: number): Promise<void> {
  const frame = Buffer.alloc(4 + FRAME_BYTES, 0x61);
  frame.writeInt32BE(FRAME_BYTES, 0);
  const frames = Math.ceil((megabytes * 1e6) / FRAME_BYTES);
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const socket = connect({ host: '127.0.0.1', port });
    let sent = 0;
    const pump = (): void => {
      while (sent < frames) {
        sent++;
        if (!socket.write(frame)) return void socket.once('drain', pump);
      }
      socket.end();
    };
    socket.once('connect', pump);
    socket.once('error', reject);
    socket.once('close', () => reject(new Error('ingest server closed without an answer')));
    socket.on('data', () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      console.log(`${frames * FRAME_BYTES} ${seconds}`);
      socket.destroy();
      resolve();
    });
  });
}

async function main(): Promise<void> {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'server' && rest.length === 1) await serve(rest[0]!);
  else if (mode === 'client' && rest.length === 2) await client(Number(rest[0]), Number(rest[1]));
  else throw new Error('usage: ingest-server.js server FILE | client PORT MB');
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
