// Builders shared by the http method's tests.
import type { HttpMethod } from '../../../src/config/types.ts';

/** A GET http method to a fixed URL; `over` sets the fields a test is about. */
export function httpMethod(over: Partial<HttpMethod> = {}): HttpMethod {
  return {
    method: 'GET',
    url: 'http://svc:8080/metric',
    headers: {},
    successCodes: [200],
    parameterMode: 'query',
    ...over,
  };
}
