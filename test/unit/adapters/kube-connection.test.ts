// TLS verification failures read like kubectl's (`x509: …`) and say what does not trust what; the OpenSSL
// text and code stay (the code drives the hint), and every other error passes through untouched.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainTls } from '../../../src/adapters/kube-connection.ts';

function coded(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

describe('explainTls', () => {
  const untrusted =
    "x509: the server's certificate is not trusted by the certificate-authority of the kubeconfig";
  const cases: { name: string; given: Error; want: string | null }[] = [
    {
      name: 'another CA signed the leaf',
      given: coded('unable to verify the first certificate', 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'),
      want: `${untrusted}: unable to verify the first certificate`,
    },
    {
      name: 'a self-signed server certificate',
      given: coded('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'),
      want: `${untrusted}: self-signed certificate`,
    },
    {
      name: 'an expired certificate',
      given: coded('certificate has expired', 'CERT_HAS_EXPIRED'),
      want: "x509: the server's certificate has expired: certificate has expired",
    },
    {
      name: 'a certificate for another host',
      given: coded("Hostname/IP does not match certificate's altnames", 'ERR_TLS_CERT_ALTNAME_INVALID'),
      want: "x509: the server's certificate is not valid for this server name: Hostname/IP does not match certificate's altnames",
    },
    {
      name: 'connection refused passes through',
      given: coded('connect ECONNREFUSED', 'ECONNREFUSED'),
      want: null,
    },
    { name: 'an error without a code passes through', given: new Error('no response within 2s'), want: null },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const got = explainTls(c.given);
      if (c.want === null) return assert.equal(got, c.given);
      assert.ok(got instanceof Error);
      assert.equal(got.message, c.want);
      assert.equal((got as Error & { code?: string }).code, (c.given as Error & { code?: string }).code);
      assert.equal(got.cause, c.given);
    });
  }
});
