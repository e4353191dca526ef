/**
 * An HTTPS agent that reaches named hosts (login.microsoftonline.com, graph.microsoft.com, the
 * Botpress host, ...) on local ports, so that clients use the real URLs unchanged. A custom DNS
 * `lookup` cannot change the port (443), so the agent opens the TLS connection itself: to
 * 127.0.0.1 and the mapped port, with the original host name for SNI and certificate checks,
 * trusting only the given CA. `localhost` not mapped keeps the port it was asked for. A host that
 * is not mapped fails; nothing leaves the machine.
 */
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';
import type { Duplex } from 'node:stream';

export function loopbackAgent(ca: string, ports: ReadonlyMap<string, number>): https.Agent {
  const agent = new https.Agent({ ca, keepAlive: false });
  // One TLS context trusting only `ca` for every connection, rather than one built per connection.
  const secureContext = tls.createSecureContext({ ca });
  (
    agent as unknown as {
      createConnection: (options: tls.ConnectionOptions & { host?: string }, callback?: unknown) => Duplex;
    }
  ).createConnection = (options) => {
    const host = (options.servername || options.host || '').toLowerCase();
    const port = ports.get(host) ?? (host === 'localhost' ? (options as { port?: number }).port : undefined);
    if (port === undefined) {
      const socket = new net.Socket();
      process.nextTick(() =>
        socket.destroy(
          Object.assign(new Error(`getaddrinfo ENOTFOUND ${host} (not mapped to a local port in this test)`), {
            code: 'ENOTFOUND',
          }),
        ),
      );
      return socket;
    }
    return tls.connect({
      ...options,
      host: '127.0.0.1',
      port,
      servername: host,
      secureContext,
      rejectUnauthorized: true,
    });
  };
  return agent;
}
