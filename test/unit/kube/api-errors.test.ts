import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectionError, kubeErrorFrom } from '../../../src/kube/api-errors.ts';
import { KubeError } from '../../../src/errors.ts';
import type { KubeCall } from '../../../src/ports.ts';

const patchScale: KubeCall = {
  verb: 'patch',
  group: 'apps',
  resource: 'deployments',
  subresource: 'scale',
  namespace: 'team-a',
  name: 'web',
};
const getDeploy: KubeCall = {
  verb: 'get',
  group: 'apps',
  resource: 'deployments',
  namespace: 'x',
  name: 'web',
};
const listPods: KubeCall = { verb: 'list', group: '', resource: 'pods', namespace: 'ns' };

const status = (code: number, reason: string, message: string, name?: string) => ({
  kind: 'Status',
  apiVersion: 'v1',
  status: 'Failure',
  message,
  reason,
  details: name === undefined ? {} : { name, group: 'apps', kind: 'deployments' },
  code,
});

interface Want {
  message: string;
  hint?: string;
  status: number;
  reason?: string;
  resource: string;
}

const rows: { name: string; given: { call: KubeCall; status: number; statusBody: unknown }; want: Want }[] = [
  {
    name: '403 on the scale subresource names the missing RBAC rule',
    given: {
      call: patchScale,
      status: 403,
      statusBody: status(
        403,
        'Forbidden',
        'deployments.apps "web" is forbidden: User "alice" cannot patch resource "deployments/scale" in API group "apps" in the namespace "team-a"',
        'web',
      ),
    },
    want: {
      message:
        'failed to patch deployments.apps/scale "web" in namespace "team-a": forbidden: User "alice" cannot patch resource "deployments/scale" in API group "apps" in the namespace "team-a"',
      hint:
        'needs `patch` on `deployments/scale` (apiGroup "apps") in namespace "team-a"; ' +
        'check with: kubectl auth can-i patch deployments.apps --subresource=scale -n team-a',
      status: 403,
      reason: 'Forbidden',
      resource: 'deployments.apps/scale',
    },
  },
  {
    name: '403 on a pod list names the core group',
    given: {
      call: listPods,
      status: 403,
      statusBody: status(
        403,
        'Forbidden',
        'pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "ns"',
      ),
    },
    want: {
      message:
        'failed to list pods in namespace "ns": forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "ns"',
      hint: 'needs `list` on `pods` (apiGroup "") in namespace "ns"; check with: kubectl auth can-i list pods -n ns',
      status: 403,
      reason: 'Forbidden',
      resource: 'pods',
    },
  },
  {
    name: '404 of the target reads like kubectl and adds the namespace',
    given: {
      call: getDeploy,
      status: 404,
      statusBody: status(404, 'NotFound', 'deployments.apps "web" not found', 'web'),
    },
    want: {
      message: 'deployments.apps "web" not found in namespace "x"',
      status: 404,
      reason: 'NotFound',
      resource: 'deployments.apps',
    },
  },
  {
    name: '404 without the object name (resource type gone) keeps the generic form',
    given: {
      call: getDeploy,
      status: 404,
      statusBody: status(404, 'NotFound', 'the server could not find the requested resource'),
    },
    want: {
      message:
        'failed to get deployments.apps "web" in namespace "x": not found: the server could not find the requested resource',
      status: 404,
      reason: 'NotFound',
      resource: 'deployments.apps',
    },
  },
  {
    name: '409 conflict drops the server prefix and keeps status 409',
    given: {
      call: patchScale,
      status: 409,
      statusBody: status(
        409,
        'Conflict',
        'Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again',
        'web',
      ),
    },
    want: {
      message:
        'failed to patch deployments.apps/scale "web" in namespace "team-a": conflict: the object has been modified; please apply your changes to the latest version and try again',
      status: 409,
      reason: 'Conflict',
      resource: 'deployments.apps/scale',
    },
  },
  {
    name: '401 says unauthorized once and hints at credentials',
    given: { call: getDeploy, status: 401, statusBody: status(401, 'Unauthorized', 'Unauthorized') },
    want: {
      message: 'failed to get deployments.apps "web" in namespace "x": unauthorized',
      hint: 'the API server rejected the credentials of the kubeconfig user; refresh them (log in again)',
      status: 401,
      reason: 'Unauthorized',
      resource: 'deployments.apps',
    },
  },
  {
    name: 'a body that is not a Status shows the HTTP code and the first line',
    given: { call: getDeploy, status: 502, statusBody: 'Bad Gateway\n<html>…</html>' },
    want: {
      message: 'failed to get deployments.apps "web" in namespace "x": HTTP 502: Bad Gateway',
      status: 502,
      resource: 'deployments.apps',
    },
  },
  {
    name: 'a non-resource path (discovery) is named as the path',
    given: {
      call: { verb: 'get', group: '', resource: '/apis/apps/v1' },
      status: 503,
      statusBody: status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'),
    },
    want: {
      message:
        'failed to get /apis/apps/v1: service unavailable: the server is currently unable to handle the request',
      status: 503,
      reason: 'ServiceUnavailable',
      resource: '/apis/apps/v1',
    },
  },
  {
    name: '422 shows the causes of details.causes that the message leaves out',
    given: {
      call: patchScale,
      status: 422,
      statusBody: {
        ...status(422, 'Invalid', 'the server rejected our request due to an error in our request'),
        details: {
          causes: [
            { reason: 'FieldValueInvalid', field: 'spec.replicas', message: 'Invalid value: 5: too many' },
            { reason: 'UnexpectedServerResponse', message: 'doc is missing path: /spec/x' },
          ],
        },
      },
    },
    want: {
      message:
        'failed to patch deployments.apps/scale "web" in namespace "team-a": invalid: the server rejected our ' +
        'request due to an error in our request: spec.replicas: Invalid value: 5: too many; doc is missing path: /spec/x',
      status: 422,
      reason: 'Invalid',
      resource: 'deployments.apps/scale',
    },
  },
  {
    name: '422 whose message already lists its causes repeats nothing',
    given: {
      call: patchScale,
      status: 422,
      statusBody: {
        ...status(
          422,
          'Invalid',
          'Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
        ),
        details: {
          name: 'web',
          group: 'autoscaling',
          kind: 'Scale',
          causes: [
            {
              reason: 'FieldValueInvalid',
              field: 'spec.replicas',
              message: 'Invalid value: -1: must be greater than or equal to 0',
            },
          ],
        },
      },
    },
    want: {
      message:
        'failed to patch deployments.apps/scale "web" in namespace "team-a": invalid: Scale.autoscaling "web" ' +
        'is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0',
      status: 422,
      reason: 'Invalid',
      resource: 'deployments.apps/scale',
    },
  },
];

describe('kubeErrorFrom', () => {
  for (const row of rows) {
    it(row.name, () => {
      const err = kubeErrorFrom(row.given);
      assert.ok(err instanceof KubeError);
      assert.equal(err.message, row.want.message);
      assert.equal(err.hint, row.want.hint);
      assert.equal(err.details.status, row.want.status);
      assert.equal(err.details.reason, row.want.reason);
      assert.equal(err.details.resource, row.want.resource);
      assert.equal(err.details.verb, row.given.call.verb);
    });
  }
});

const errno = (message: string, code: string) => Object.assign(new Error(message), { code });

const connectionRows: {
  name: string;
  given: unknown;
  want: { message: string; hint: RegExp; reason?: string };
}[] = [
  {
    name: 'connection refused',
    given: errno('connect ECONNREFUSED 127.0.0.1:6443', 'ECONNREFUSED'),
    want: {
      message:
        'cannot reach the Kubernetes API at https://127.0.0.1:6443: connect ECONNREFUSED 127.0.0.1:6443',
      hint: /cluster is running/,
      reason: 'ECONNREFUSED',
    },
  },
  {
    name: 'untrusted certificate adds the code and a certificate hint',
    given: errno('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT'),
    want: {
      message:
        'cannot reach the Kubernetes API at https://127.0.0.1:6443: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)',
      hint: /certificate-authority/,
      reason: 'DEPTH_ZERO_SELF_SIGNED_CERT',
    },
  },
  {
    name: 'timeout without a code',
    given: new Error('no response within 30s'),
    want: {
      message: 'cannot reach the Kubernetes API at https://127.0.0.1:6443: no response within 30s',
      hint: /cluster is running/,
    },
  },
];

describe('connectionError', () => {
  for (const row of connectionRows) {
    it(row.name, () => {
      const err = connectionError({ call: getDeploy, server: 'https://127.0.0.1:6443', cause: row.given });
      assert.equal(err.message, row.want.message);
      assert.match(err.hint ?? '', row.want.hint);
      assert.equal(err.details.reason, row.want.reason);
      assert.equal(err.details.status, undefined);
      assert.equal(err.cause, row.given);
    });
  }
});
