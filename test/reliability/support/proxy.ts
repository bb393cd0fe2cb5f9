// A loopback TCP proxy that misbehaves on command, for chaos tests: pass traffic through, cut every open
// connection, turn into a black hole (accept, then never answer), or refuse. TLS passes through untouched, so
// the client still verifies the real server's certificate.
import { createServer, connect, type Server, type Socket } from 'node:net';

/** What the proxy does with traffic. */
export type ProxyMode = 'pass' | 'blackhole' | 'refuse';

/** A running fault proxy. */
export interface FaultProxy {
  /** `127.0.0.1:PORT` */
  readonly address: string;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Switches mode; `blackhole` also freezes connections already open (their bytes are dropped). */
  setMode(mode: ProxyMode): void;
  /** Resets every open connection (as a network cut or an API server restart does). */
  cut(): void;
  close(): Promise<void>;
}

/** Starts a proxy on 127.0.0.1 (a free port) in front of `upstream` (`host:port`). */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const [host, portText] = splitHostPort(upstream);
  let mode: ProxyMode = 'pass';
  let accepted = 0;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    accepted += 1;
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => undefined);
    if (mode === 'refuse') return client.resetAndDestroy();
    if (mode === 'blackhole') return void client.resume();
    const up = connect(Number(portText), host);
    open.add(up);
    up.on('close', () => open.delete(up));
    up.on('error', () => client.destroy());
    client.on('close', () => up.destroy());
    up.on('close', () => client.destroy());
    // Forward only while passing: a black hole swallows what arrives on connections opened before it.
    client.on('data', (chunk: Buffer) => void (mode === 'pass' && up.write(chunk)));
    up.on('data', (chunk: Buffer) => void (mode === 'pass' && client.write(chunk)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    get accepted() {
      return accepted;
    },
    setMode: (next) => void (mode = next),
    cut: () => {
      for (const socket of open) socket.resetAndDestroy();
      open.clear();
    },
    close: async () => {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function splitHostPort(address: string): [string, string] {
  const at = address.lastIndexOf(':');
  return [address.slice(0, at).replace(/^\[|\]$/g, ''), address.slice(at + 1)];
}
