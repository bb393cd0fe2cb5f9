// Files the control plane reads at start (tokens, service-account keys) and the kubeconfigs it hands out.
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

/** The restricted test user: authenticated, but with no rights until a test binds a Role to it. */
export const RESTRICTED_USER = 'alice';
/** The group of the restricted user, for RoleBindings that target the group instead. */
export const RESTRICTED_GROUP = 'e2e:restricted';

/** Paths of the secrets written by writeSecrets, plus the two bearer tokens. */
export interface Secrets {
  tokenFile: string;
  saPrivateKey: string;
  saPublicKey: string;
  adminToken: string;
  restrictedToken: string;
}

/** Writes `tokens.csv` (admin in system:masters, alice in e2e:restricted) and an EC service-account key pair. */
export function writeSecrets(secretsDir: string): Secrets {
  mkdirSync(secretsDir, { recursive: true, mode: 0o700 });
  const adminToken = randomBytes(24).toString('hex');
  const restrictedToken = randomBytes(24).toString('hex');
  // --token-auth-file format: token,user,uid,"group1,group2"
  const tokenFile = join(secretsDir, 'tokens.csv');
  writeFileSync(
    tokenFile,
    `${adminToken},e2e-admin,e2e-admin,"system:masters"\n` +
      `${restrictedToken},${RESTRICTED_USER},${RESTRICTED_USER},"${RESTRICTED_GROUP}"\n`,
    { mode: 0o600 },
  );
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const saPrivateKey = join(secretsDir, 'sa.key');
  const saPublicKey = join(secretsDir, 'sa.pub');
  writeFileSync(saPrivateKey, privateKey.export({ type: 'sec1', format: 'pem' }), { mode: 0o600 });
  writeFileSync(saPublicKey, publicKey.export({ type: 'spki', format: 'pem' }));
  return { tokenFile, saPrivateKey, saPublicKey, adminToken, restrictedToken };
}

/** Writes a one-context kubeconfig that verifies the server against `caFile` and sends `token`. */
export function writeKubeconfig(
  file: string,
  server: string,
  caFile: string,
  user: string,
  token: string,
): void {
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'e2e', cluster: { server, 'certificate-authority': caFile } }],
    users: [{ name: user, user: { token } }],
    contexts: [{ name: user, context: { cluster: 'e2e', user } }],
    'current-context': user,
  };
  writeFileSync(file, stringify(config), { mode: 0o600 });
}

/** The front-proxy PKI of the aggregation layer: a CA the apiserver trusts for request headers, and its client. */
export interface FrontProxy {
  caFile: string;
  clientCertFile: string;
  clientKeyFile: string;
  /** The CN the apiserver allows to assert users (`--requestheader-allowed-names`). */
  clientName: string;
}

/**
 * Writes the front-proxy CA and client certificate with openssl. kube-apiserver presents the client
 * certificate when it proxies to an aggregated API (metrics adapters), which trusts the X-Remote-* headers
 * only from a caller with a certificate of this CA, as metrics-server and prometheus-adapter do.
 */
export function writeFrontProxy(dir: string): FrontProxy {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const run = (args: string[]): void => {
    execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const clientName = 'front-proxy-client';
  run([
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'front-proxy-ca.key',
    '-out',
    'front-proxy-ca.crt',
    '-subj',
    '/CN=front-proxy-ca',
    '-days',
    '30',
  ]);
  writeFileSync(join(dir, 'front-proxy-client.ext'), 'extendedKeyUsage=clientAuth\n');
  run([
    'req',
    '-new',
    ...ec,
    '-keyout',
    'front-proxy-client.key',
    '-out',
    'front-proxy-client.csr',
    '-subj',
    `/CN=${clientName}`,
  ]);
  run([
    'x509',
    '-req',
    '-in',
    'front-proxy-client.csr',
    '-CA',
    'front-proxy-ca.crt',
    '-CAkey',
    'front-proxy-ca.key',
    '-set_serial',
    '2001',
    '-days',
    '30',
    '-out',
    'front-proxy-client.crt',
    '-extfile',
    'front-proxy-client.ext',
  ]);
  return {
    caFile: join(dir, 'front-proxy-ca.crt'),
    clientCertFile: join(dir, 'front-proxy-client.crt'),
    clientKeyFile: join(dir, 'front-proxy-client.key'),
    clientName,
  };
}
