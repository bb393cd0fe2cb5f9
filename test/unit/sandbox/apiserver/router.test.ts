import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { route } from '../../../../src/sandbox/apiserver/router.ts';

function summary(method: string, target: string): string {
  const [path, query] = target.split('?') as [string, string | undefined];
  const r = route(method, path, new URLSearchParams(query ?? ''));
  if (r.type !== 'resource') return r.type;
  return [r.verb, r.def.group, r.def.plural, r.namespace ?? '-', r.name ?? '-', r.subresource ?? '-'].join(
    ' ',
  );
}

describe('router', () => {
  const cases: { given: [string, string]; want: string }[] = [
    { given: ['GET', '/api'], want: 'api' },
    { given: ['GET', '/apis/'], want: 'apis' },
    { given: ['GET', '/apis/apps'], want: 'group' },
    { given: ['GET', '/apis/apps/v1'], want: 'resources' },
    { given: ['GET', '/healthz'], want: 'health' },
    { given: ['GET', '/version'], want: 'version' },
    { given: ['GET', '/openapi/v3'], want: 'openapi' },
    { given: ['GET', '/apis/apps/v1/namespaces/ns/deployments/web'], want: 'get apps deployments ns web -' },
    {
      given: ['PATCH', '/apis/apps/v1/namespaces/ns/deployments/web/scale'],
      want: 'patch apps deployments ns web scale',
    },
    { given: ['GET', '/api/v1/namespaces/ns/pods'], want: 'list  pods ns - -' },
    { given: ['GET', '/api/v1/pods'], want: 'list  pods - - -' },
    { given: ['GET', '/api/v1/namespaces/ns/pods?watch=true'], want: 'watch  pods ns - -' },
    { given: ['GET', '/api/v1/namespaces/ns/pods/p/log'], want: 'get  pods ns p log' },
    { given: ['GET', '/api/v1/namespaces/ns'], want: 'get  namespaces - ns -' },
    { given: ['PUT', '/api/v1/namespaces/ns/status'], want: 'update  namespaces - ns status' },
    {
      given: ['POST', '/apis/coordination.k8s.io/v1/namespaces/ns/leases'],
      want: 'create coordination.k8s.io leases ns - -',
    },
    { given: ['DELETE', '/api/v1/namespaces/ns/pods'], want: 'deletecollection  pods ns - -' },
    { given: ['GET', '/apis/metrics.k8s.io/v1beta1/nodes'], want: 'list metrics.k8s.io nodes - - -' },
    { given: ['GET', '/apis/apps/v1/namespaces/ns/frobs'], want: 'no-resource' },
    { given: ['GET', '/apis/apps/v1/namespaces/ns/deployments/web/exec'], want: 'no-resource' },
    { given: ['GET', '/api/v1/namespaces/ns/nodes'], want: 'no-resource' },
    { given: ['GET', '/api/v1/pods/p'], want: 'no-resource' },
    { given: ['GET', '/apis/nope/v1'], want: 'no-path' },
    { given: ['GET', '/apis/apps/v2'], want: 'no-path' },
    { given: ['GET', '/metrics'], want: 'no-path' },
    { given: ['POST', '/apis/apps/v1/namespaces/ns/deployments/web'], want: 'bad-method' },
  ];
  for (const c of cases)
    it(`${c.given.join(' ')} → ${c.want}`, () => assert.equal(summary(...c.given), c.want));
});
