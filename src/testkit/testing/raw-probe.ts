/** Asks a broker for its metadata over a plain socket (testkit's own tests). */
import net from 'node:net';
import { ApiKey, MetadataRequest, type MetadataResponse, decodeResponseFrame, encodeRequestFrame } from '../../protocol/index.js';

export const RawClientForTestkit = {
  nodeIdOf(port: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.write(Buffer.concat(encodeRequestFrame({ apiKey: ApiKey.Metadata, apiVersion: 12, correlationId: 1, clientId: 't' }, { ...MetadataRequest.defaults(), topics: null })));
      });
      let buf = Buffer.alloc(0);
      s.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length >= 4 && buf.length >= 4 + buf.readInt32BE(0)) {
          const md = decodeResponseFrame<MetadataResponse>(ApiKey.Metadata, 12, buf.subarray(4)).body;
          s.destroy();
          resolve(md.brokers[0]?.nodeId ?? -1);
        }
      });
      s.on('error', reject);
    });
  },
};
