/**
 * A certificate authority that lives for one test file: `openssl` makes a CA and one server
 * certificate for the given host names in a temporary folder, which is removed at once (the PEM
 * text is kept in memory). Nothing is added to the machine's trust store: clients get the CA
 * explicitly (see loopback-agent.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export interface ThrowawayCa {
  /** The CA certificate (PEM), to trust. */
  readonly ca: string;
  /** Server certificate (PEM) valid for every host name asked for. */
  readonly cert: string;
  readonly key: string;
}

export function makeThrowawayCa(hostNames: readonly string[]): ThrowawayCa {
  const dir = mkdtempSync(path.join(tmpdir(), 'bpsso-ca-'));
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    // P-256 keys: generated in milliseconds, unlike RSA.
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
    openssl(
      'req',
      '-x509',
      ...ec,
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      '/CN=botpress-azure-sso throwaway test CA',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
    );
    openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=botpress-azure-sso test server');
    writeFileSync(
      path.join(dir, 'server.ext'),
      `basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=${hostNames
        .map((h) => `DNS:${h}`)
        .join(',')}\n`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'server.ext',
    );
    const read = (name: string) => readFileSync(path.join(dir, name), 'utf8');
    return { ca: read('ca.crt'), cert: read('server.crt'), key: read('server.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
