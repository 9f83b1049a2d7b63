/**
 * A TCP proxy in front of a storage server that breaks things on purpose: it cuts a connection after
 * a number of request bytes, or answers 503 itself. Being byte-transparent, signed requests made for
 * the proxy's address still verify at the server behind it (the Host header passes unchanged).
 */
import net from 'node:net';

export type ProxyFault =
  /** Cut the connection once this many request bytes (over all connections so far) have passed. */
  | { kind: 'cut'; afterBytes: number }
  /** Answer the next request with 503 without passing it on. */
  | { kind: 'unavailable' };

export type UploadProxy = {
  endpoint: string;
  /** Request bytes passed to the server so far. */
  bytesForwarded(): number;
  /** Queue a fault; each fires once, in order. */
  fault(fault: ProxyFault): void;
  /** How many faults fired. */
  faultsFired(): number;
  close(): Promise<void>;
};

export async function startUploadProxy(target: string): Promise<UploadProxy> {
  const upstream = new URL(target);
  const faults: ProxyFault[] = [];
  let forwarded = 0;
  let fired = 0;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    const next = faults[0];
    if (next?.kind === 'unavailable') {
      faults.shift();
      fired += 1;
      client.once('data', () => {
        client.end(
          'HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/xml\r\nContent-Length: 67\r\nConnection: close\r\n\r\n<Error><Code>ServiceUnavailable</Code><Message>x</Message></Error>\n',
        );
      });
      client.on('error', () => undefined);
      return;
    }
    const server = net.connect(Number(upstream.port), upstream.hostname);
    sockets.add(server);
    server.on('close', () => sockets.delete(server));
    const cutBoth = () => {
      client.destroy();
      server.destroy();
    };
    client.on('error', cutBoth);
    server.on('error', cutBoth);
    client.on('data', (chunk: Buffer) => {
      const fault = faults[0];
      if (fault?.kind === 'cut' && forwarded + chunk.length >= fault.afterBytes) {
        faults.shift();
        fired += 1;
        const keep = Math.max(0, fault.afterBytes - forwarded);
        forwarded += keep;
        server.write(chunk.subarray(0, keep), cutBoth);
        return;
      }
      forwarded += chunk.length;
      if (!server.write(chunk)) {
        client.pause();
        server.once('drain', () => client.resume());
      }
    });
    server.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('end', () => server.end());
    server.on('end', () => client.end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    bytesForwarded: () => forwarded,
    fault: (fault) => faults.push(fault),
    faultsFired: () => fired,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
