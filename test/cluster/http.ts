// A minimal HTTPS client for the test apiserver: bearer token, the apiserver's own CA, no TLS shortcuts.
import { readFileSync } from 'node:fs';
import { get } from 'node:http';
import { request } from 'node:https';

/** Where and as whom to call the apiserver. */
export interface ApiTarget {
  /** `https://127.0.0.1:PORT` */
  server: string;
  caFile: string;
  token: string;
}

/** A response with its body as text. */
export interface ApiReply {
  status: number;
  body: string;
}

/** Sends one request; resolves with any HTTP status, rejects only on transport errors or after `timeoutMs`. */
export async function apiRequest(
  target: ApiTarget,
  method: string,
  path: string,
  body?: { contentType: string; text: string },
  timeoutMs = 30_000,
): Promise<ApiReply> {
  const url = new URL(path, target.server);
  const ca = readFileSync(target.caFile);
  const headers: Record<string, string> = {
    authorization: `Bearer ${target.token}`,
    accept: 'application/json',
  };
  if (body) headers['content-type'] = body.contentType;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, ca, headers, timeout: timeoutMs }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer after ${timeoutMs}ms`)));
    req.on('error', reject);
    req.end(body?.text);
  });
}

/** Like apiRequest, but a non-2xx status is an error naming the request; returns the parsed JSON body. */
export async function apiJson<T>(
  target: ApiTarget,
  method: string,
  path: string,
  body?: { contentType: string; text: string },
): Promise<T> {
  const reply = await apiRequest(target, method, path, body);
  if (reply.status < 200 || reply.status > 299) {
    throw new Error(`failed to ${method} ${path}: HTTP ${reply.status}: ${reply.body.slice(0, 500)}`);
  }
  return JSON.parse(reply.body) as T;
}

/** GET over plain HTTP (etcd's client port); resolves with the body whatever the status. */
export async function httpGetText(url: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${url}: no answer after ${timeoutMs}ms`)));
    req.on('error', reject);
  });
}
