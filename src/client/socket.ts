/** Opening a TCP connection with a deadline; the only place the client touches node:net. */
import net from 'node:net';
import { ConnectionError } from './errors.js';

export function openSocket(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
  const address = `${host}:${port}`;
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ConnectionError(address, `connect timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      socket.setNoDelay(true);
      socket.setKeepAlive(true);
      resolve(socket);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(new ConnectionError(address, `cannot connect (${e.code ?? e.message})`, { cause: e }));
    });
  });
}
