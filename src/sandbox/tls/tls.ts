// The sandbox's TLS material, made fresh at every start: a self-signed CA and a server certificate for
// 127.0.0.1, ::1 and localhost signed by it, both ECDSA P-256 / SHA-256. node:crypto makes the keys and the
// signatures; the certificates are assembled with our own DER writer (asn1.ts), so the single binary needs
// neither openssl nor a certificate library. Clients trust the CA through the kubeconfig — no skip-verify.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { bitString, booleanTrue, context, integer, octets, oid, sequence, set, time, utf8 } from './asn1.ts';

/** PEM texts of the CA and of the server's certificate and key. */
export interface SandboxTls {
  caCert: string;
  cert: string;
  key: string;
}

const ECDSA_SHA256 = '1.2.840.10045.4.3.2';
const HOUR_MS = 3_600_000;

function name(commonName: string): Buffer {
  return sequence(
    set(sequence(oid('2.5.4.10'), utf8('kubectl-cpa'))),
    set(sequence(oid('2.5.4.3'), utf8(commonName))),
  );
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), booleanTrue(), octets(value)) : sequence(oid(id), octets(value));
}

function keyId(spki: Buffer): Buffer {
  return createHash('sha1').update(spki).digest();
}

function ipBytes(ip: string): Buffer {
  if (ip.includes(':')) {
    // Only the loopback forms are used here: `::1`.
    const out = Buffer.alloc(16);
    out[15] = 1;
    return out;
  }
  return Buffer.from(ip.split('.').map(Number));
}

interface CertSpec {
  subject: string;
  issuer: string;
  spki: Buffer;
  issuerSpki: Buffer;
  signer: KeyObject;
  nowMs: number;
  validForMs: number;
  ca: boolean;
}

function certificate(spec: CertSpec): string {
  const extensions = spec.ca
    ? [
        extension('2.5.29.15', true, bitString(Buffer.from([0x86]), 1)), // digitalSignature, keyCertSign, cRLSign
        extension('2.5.29.19', true, sequence(booleanTrue())),
        extension('2.5.29.14', false, octets(keyId(spec.spki))),
      ]
    : [
        extension('2.5.29.15', true, bitString(Buffer.from([0x80]), 7)), // digitalSignature
        extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))), // serverAuth
        extension('2.5.29.19', true, sequence()),
        extension('2.5.29.35', false, sequence(context(0, keyId(spec.issuerSpki), false))),
        extension(
          '2.5.29.17',
          false,
          sequence(
            context(2, Buffer.from('localhost'), false),
            context(7, ipBytes('127.0.0.1'), false),
            context(7, ipBytes('::1'), false),
          ),
        ),
      ];
  const serial = randomBytes(16);
  serial[0]! &= 0x7f; // positive, as RFC 5280 and Go's parser require
  const tbs = sequence(
    context(0, integer(2), true), // v3
    integer(serial),
    sequence(oid(ECDSA_SHA256)),
    name(spec.issuer),
    sequence(time(spec.nowMs - HOUR_MS), time(spec.nowMs + spec.validForMs)),
    name(spec.subject),
    spec.spki,
    context(3, sequence(...extensions), true),
  );
  const signature = sign('sha256', tbs, { key: spec.signer, dsaEncoding: 'der' });
  const der = sequence(tbs, sequence(oid(ECDSA_SHA256)), bitString(signature));
  const body = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
}

/** A new CA and server certificate valid from an hour before `nowMs` for `validDays`. */
export function generateTls(nowMs: number, validDays = 365): SandboxTls {
  const ca = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const server = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const caSpki = ca.publicKey.export({ type: 'spki', format: 'der' });
  const serverSpki = server.publicKey.export({ type: 'spki', format: 'der' });
  const validForMs = validDays * 24 * HOUR_MS;
  const common = {
    nowMs,
    validForMs,
    issuer: 'kubectl-cpa sandbox CA',
    issuerSpki: caSpki,
    signer: ca.privateKey,
  };
  return {
    caCert: certificate({ ...common, subject: 'kubectl-cpa sandbox CA', spki: caSpki, ca: true }),
    cert: certificate({ ...common, subject: 'kubectl-cpa sandbox', spki: serverSpki, ca: false }),
    key: server.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}
