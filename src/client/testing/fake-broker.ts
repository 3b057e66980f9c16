/**
 * A scripted Kafka server for the client's unit tests: it decodes each request and hands it to
 * the test, which answers (now, later, at another version) or stays silent. Not shipped.
 */
import net from 'node:net';
import {
  API_INFOS, ApiKey, type ApiVersionsResponse, ApiVersionsResponse as ApiVersionsCodec, Reader, decodeRequestFrameHeader, encodeResponseFrame,
} from '../../protocol/index.js';
import { FrameReader } from '../frame-reader.js';

export interface FakeRequest {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly body: unknown;
  /** Answers at the request's version (or `apiVersion`). */
  respond(body: unknown, apiVersion?: number): void;
  readonly socket: net.Socket;
}

export type FakeHandler = (request: FakeRequest) => void;

/** ApiVersions listing every API at every version this codebase knows. */
export function fullApiVersions(): ApiVersionsResponse {
  const r = ApiVersionsCodec.defaults();
  r.apiKeys = API_INFOS.map((a) => ({ apiKey: a.apiKey, minVersion: a.validVersions.min, maxVersion: a.validVersions.max, _unknownTaggedFields: undefined }));
  return r;
}

/** Answers ApiVersions with fullApiVersions(); everything else goes to `handler`. */
export function answeringApiVersions(handler: FakeHandler): FakeHandler {
  return (req) => (req.apiKey === ApiKey.ApiVersions ? req.respond(fullApiVersions()) : handler(req));
}

export class FakeBroker {
  readonly requests: FakeRequest[] = [];
  private readonly sockets = new Set<net.Socket>();

  private constructor(private readonly server: net.Server, readonly port: number) {}

  static async start(handler: FakeHandler): Promise<FakeBroker> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const fake = new FakeBroker(server, (server.address() as net.AddressInfo).port);
    server.on('connection', (socket) => fake.accept(socket, handler));
    return fake;
  }

  /** Drops every client connection (the server keeps listening). */
  dropConnections(): void {
    for (const s of this.sockets) s.destroy();
  }

  async stop(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket, handler: FakeHandler): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    const reader = new FrameReader(1 << 20);
    socket.on('data', (chunk: Buffer) => {
      for (const frame of reader.push(chunk)) {
        const { header, info, bodyOffset } = decodeRequestFrameHeader(frame);
        const apiKey = header.requestApiKey;
        const apiVersion = header.requestApiVersion;
        const body = info!.request.decode(new Reader(frame, bodyOffset), apiVersion);
        const req: FakeRequest = {
          apiKey, apiVersion, correlationId: header.correlationId, body, socket,
          respond: (b, v = apiVersion) => {
            if (!socket.destroyed) socket.write(Buffer.concat(encodeResponseFrame(apiKey, v, header.correlationId, b)));
          },
        };
        this.requests.push(req);
        handler(req);
      }
    });
  }
}
