import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { createServer, request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { integer, oid, tlv, time } from '../../../../src/sandbox/tls/asn1.ts';
import { generateTls } from '../../../../src/sandbox/tls/tls.ts';

const hex = (b: Buffer) => b.toString('hex');

describe('DER writer', () => {
  const cases: { name: string; given: () => Buffer; want: string }[] = [
    { name: 'short length', given: () => tlv(0x04, Buffer.alloc(3)), want: '0403000000' },
    { name: 'long length', given: () => tlv(0x04, Buffer.alloc(200)).subarray(0, 3), want: '0481c8' },
    { name: 'two-byte length', given: () => tlv(0x04, Buffer.alloc(300)).subarray(0, 4), want: '0482012c' },
    { name: 'small integer', given: () => integer(2), want: '020102' },
    {
      name: 'integer with the top bit set gets a zero byte',
      given: () => integer(Buffer.from([0x80])),
      want: '02020080',
    },
    { name: 'integer without leading zeros', given: () => integer(Buffer.from([0, 0, 1])), want: '020101' },
    { name: 'ecdsa-with-SHA256 OID', given: () => oid('1.2.840.10045.4.3.2'), want: '06082a8648ce3d040302' },
    {
      name: 'UTCTime before 2050',
      given: () => time(Date.UTC(2026, 10, 28, 18, 5, 39)),
      want: hex(Buffer.concat([Buffer.from([0x17, 13]), Buffer.from('261128180539Z')])),
    },
    {
      name: 'GeneralizedTime from 2050',
      given: () => time(Date.UTC(2050, 0, 1)),
      want: hex(Buffer.concat([Buffer.from([0x18, 15]), Buffer.from('20500101000000Z')])),
    },
  ];
  for (const c of cases) it(c.name, () => assert.equal(hex(c.given()), c.want));
});

describe('sandbox TLS material', () => {
  const now = Date.UTC(2026, 10, 28, 12, 0, 0);
  const tls = generateTls(now);
  const ca = new X509Certificate(tls.caCert);
  const leaf = new X509Certificate(tls.cert);

  it('makes a CA and a server certificate it signed, for 127.0.0.1, ::1 and localhost', () => {
    assert.equal(ca.ca, true);
    assert.equal(leaf.ca, false);
    assert.equal(leaf.verify(ca.publicKey), true);
    assert.equal(leaf.checkIssued(ca), true);
    assert.equal(leaf.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(leaf.checkHost('localhost'), 'localhost');
    assert.equal(leaf.subjectAltName, 'DNS:localhost, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
  });

  it('is valid from an hour before start for a year', () => {
    assert.equal(new Date(leaf.validFrom).getTime(), now - 3_600_000);
    assert.equal(new Date(leaf.validTo).getTime(), now + 365 * 86_400_000);
  });

  it('makes fresh keys and serial numbers every time', () => {
    const other = new X509Certificate(generateTls(now).cert);
    assert.notEqual(other.serialNumber, leaf.serialNumber);
    assert.equal(other.verify(ca.publicKey), false);
  });

  it('serves TLS that a client trusting only the CA accepts (no skip-verify)', async () => {
    const fresh = generateTls(Date.now());
    const server = createServer({ cert: fresh.cert, key: fresh.key }, (_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const body = await new Promise<string>((resolve, reject) => {
        request({ host: '127.0.0.1', port, ca: fresh.caCert, path: '/' }, (res) => {
          let text = '';
          res.on('data', (d: Buffer) => (text += d.toString()));
          res.on('end', () => resolve(text));
        })
          .on('error', reject)
          .end();
      });
      assert.equal(body, 'ok');
      const refused = await new Promise<string>((resolve) => {
        request({ host: '127.0.0.1', port, path: '/' }, () => resolve('accepted'))
          .on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? 'error'))
          .end();
      });
      assert.equal(refused, 'UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    } finally {
      server.close();
    }
  });
});
