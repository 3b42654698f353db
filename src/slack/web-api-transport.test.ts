import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackTransport } from './web-api-transport.js';

type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

let server: Server;
let base = '';
let handler: Handler = (_request, _body, response) => response.end();

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(chunks).toString('utf8'), response));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('the Web API transport', () => {
  it('sends the method, headers and form body, and answers with status, headers and body', async () => {
    let seen: { method?: string; type?: string; auth?: string; body?: string } = {};
    handler = (request, body, response) => {
      seen = {
        method: request.method,
        type: request.headers['content-type'],
        auth: request.headers.authorization,
        body,
      };
      response.setHeader('content-type', 'application/json; charset=utf-8');
      response.setHeader('x-slack-req-id', 'abc');
      response.setHeader('set-cookie', ['a=1', 'b=2']);
      response.end('{"ok":true,"ts":"1.2","text":"héllo"}');
    };
    const answer = await slackTransport()(`${base}/api/chat.update`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-1' },
      body: 'channel=D1&text=h%C3%A9llo',
    });

    expect(seen).toEqual({
      method: 'POST',
      type: 'application/x-www-form-urlencoded',
      auth: 'Bearer xoxb-1',
      body: 'channel=D1&text=h%C3%A9llo',
    });
    expect(answer.status).toBe(200);
    expect(answer.ok).toBe(true);
    expect(answer.url).toBe(`${base}/api/chat.update`);
    expect(answer.headers.get('X-Slack-Req-Id')).toBe('abc');
    expect(answer.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(answer.headers.get('retry-after')).toBeNull();
    expect(new Map(answer.headers.entries()).get('content-type')).toBe('application/json; charset=utf-8');
    expect(await answer.json()).toEqual({ ok: true, ts: '1.2', text: 'héllo' });
    expect(await answer.text()).toBe('{"ok":true,"ts":"1.2","text":"héllo"}');
    expect(Buffer.from(await answer.arrayBuffer()).toString('utf8')).toBe(await answer.text());
  });

  it('hands back a 429 and its Retry-After, and a 5xx, without reading them as errors', async () => {
    handler = (request, _body, response) => {
      if (request.url?.endsWith('limited')) {
        response.writeHead(429, { 'retry-after': '7' });
        response.end();
        return;
      }
      response.writeHead(503);
      response.end('down');
    };
    const transport = slackTransport();
    const limited = await transport(`${base}/api/limited`, { method: 'POST', body: '' });
    const down = await transport(`${base}/api/down`, { method: 'POST', body: '' });

    expect([limited.status, limited.ok, limited.headers.get('retry-after')]).toEqual([429, false, '7']);
    expect([down.status, await down.text()]).toEqual([503, 'down']);
  });

  it('is aborted by its signal while Slack holds the answer back, the body included', async () => {
    handler = (request, _body, response) => {
      if (request.url?.endsWith('slow-body')) {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"ok":');
      }
    };
    const transport = slackTransport();
    for (const path of ['/api/hang', '/api/slow-body']) {
      const started = Date.now();
      const call = transport(`${base}${path}`, {
        method: 'POST',
        body: '',
        signal: AbortSignal.timeout(200),
      });
      await expect(call).rejects.toThrow();
      expect(Date.now() - started).toBeLessThan(2_000);
    }
  });

  it('sends a multipart body (a file upload) through fetch and buffers its answer the same way', async () => {
    let type = '';
    let received = '';
    handler = (request, body, response) => {
      type = request.headers['content-type'] ?? '';
      received = body;
      response.setHeader('content-type', 'application/json');
      response.end('{"ok":true}');
    };
    const form = new FormData();
    form.append('filename', 'notes.txt');
    const answer = await slackTransport()(`${base}/api/files.upload`, { method: 'POST', body: form });

    expect(type).toMatch(/^multipart\/form-data; boundary=/);
    expect(received).toContain('notes.txt');
    expect(await answer.json()).toEqual({ ok: true });
  });
});
