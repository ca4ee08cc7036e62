import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SteeringTexts } from '../../src/core/judge';
import { judgeSteering } from '../../src/io/judge-http';

const KEY = 'sk-test-SECRET-4242';
const TEXTS: SteeringTexts = {
  explanation: 'mentions of the ocean and ships',
  prompt: 'The most important thing is',
  steered: ' the sailors on the deep sea',
  unsteered: ' to be kind to your neighbours',
};

interface Received {
  method?: string;
  url?: string;
  authorization?: string;
  body: { model?: string; messages?: { role: string; content: string }[] };
}

/** A stand-in OpenAI server: `reply` decides each response; requests are recorded. */
let reply: (request: IncomingMessage, response: ServerResponse, received: Received) => void;
const requests: Received[] = [];
let server: Server;
let baseUrl: string;

const chatReply = (content: string) => (_: IncomingMessage, response: ServerResponse) => {
  response.writeHead(200, { 'Content-Type': 'application/json' });
  response.end(JSON.stringify({ id: 'x', object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }] }));
};

beforeAll(async () => {
  server = createServer((request, response) => {
    let data = '';
    request.on('data', (chunk) => (data += chunk));
    request.on('end', () => {
      const received: Received = { method: request.method, url: request.url, authorization: request.headers.authorization, body: JSON.parse(data || '{}') };
      requests.push(received);
      reply(request, response, received);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  requests.length = 0;
});

describe('judgeSteering', () => {
  it('posts the texts to /chat/completions and reads the score; 4 and 5 succeed, 1 to 3 do not', async () => {
    for (const score of [1, 2, 3, 4, 5]) {
      reply = chatReply(String(score));
      const verdict = await judgeSteering({ baseUrl, model: 'judge-model' }, TEXTS);
      expect(verdict).toEqual({ score, success: score >= 4, reply: String(score) });
    }
    const [request] = requests;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/chat/completions');
    expect(request.authorization).toBeUndefined();
    expect(request.body.model).toBe('judge-model');
    const said = request.body.messages!.map((m) => m.content).join('\n');
    for (const text of Object.values(TEXTS)) expect(said).toContain(text);
    expect(said).toMatch(/MORE related/);
  });

  it('sends the key as a Bearer token only when given', async () => {
    reply = chatReply('Score: 4.');
    expect((await judgeSteering({ baseUrl, model: 'm', apiKey: KEY }, TEXTS)).score).toBe(4);
    expect(requests[0].authorization).toBe(`Bearer ${KEY}`);
  });

  it('names the endpoint and the problem for each failure, never the key', async () => {
    const endpoint = { baseUrl, model: 'm', apiKey: KEY };
    const failures: [string, typeof reply, RegExp][] = [
      [
        '401, echoing the request headers',
        (_, response, received) => {
          response.writeHead(401, { 'Content-Type': 'application/json' });
          response.end(JSON.stringify({ error: { message: `Incorrect API key: ${received.authorization}` } }));
        },
        /HTTP 401 Unauthorized \(check the API key\).*Incorrect API key: Bearer \[API key\]/,
      ],
      [
        '500',
        (_, response) => {
          response.writeHead(500);
          response.end('model crashed');
        },
        /HTTP 500 Internal Server Error: "model crashed"/,
      ],
      [
        'non-JSON',
        (_, response) => {
          response.writeHead(200, { 'Content-Type': 'text/html' });
          response.end('<html>proxy login</html>');
        },
        /the reply is not JSON: "<html>proxy login<\/html>"/,
      ],
      ['a reply without a digit', chatReply('The steered text is clearly about ships.'), /the reply holds no score from 1 to 5: "The steered text/],
      [
        'JSON that is not a chat completion',
        (_, response) => {
          response.writeHead(200, { 'Content-Type': 'application/json' });
          response.end('{"object":"list","data":[]}');
        },
        /no choices\[0\]\.message\.content/,
      ],
    ];
    for (const [, respond, message] of failures) {
      reply = respond;
      const error = await judgeSteering(endpoint, TEXTS).catch((e: Error) => e);
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toContain(`judge m at ${baseUrl}chat/completions`);
      expect((error as Error).message).not.toContain(KEY);
    }
  });

  it('times out on a server that never answers', async () => {
    reply = () => {}; // holds the connection open
    await expect(judgeSteering({ baseUrl, model: 'm', apiKey: KEY }, TEXTS, { timeoutMs: 200 })).rejects.toThrow(/judge m at .*: no reply within 200 ms/);
  });

  it('reports a network failure and an abort by the caller', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(judgeSteering({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm', apiKey: KEY }, TEXTS)).rejects.toThrow(
      new RegExp(`judge m at http://127.0.0.1:${port}/v1/chat/completions: the request failed`),
    );
    reply = () => {};
    const controller = new AbortController();
    const pending = judgeSteering({ baseUrl, model: 'm' }, TEXTS, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await expect(pending).rejects.toThrow(/: aborted$/);
  });

  it('uses an injected fetch and rejects a base URL that is not http(s)', async () => {
    const calls: string[] = [];
    const fakeFetch = (async (url: URL) => {
      calls.push(String(url));
      return new Response(JSON.stringify({ choices: [{ message: { content: '<think>maybe 2</think>5' } }] }), { status: 200 });
    }) as unknown as typeof fetch;
    expect((await judgeSteering({ baseUrl: 'https://judge.example/v1', model: 'm' }, TEXTS, { fetch: fakeFetch })).score).toBe(5);
    expect(calls).toEqual(['https://judge.example/v1/chat/completions']);
    await expect(judgeSteering({ baseUrl: 'ftp://judge.example', model: 'm' }, TEXTS)).rejects.toThrow(/baseUrl "ftp:\/\/judge.example" must be an http or https URL/);
    await expect(judgeSteering({ baseUrl: 'not a url', model: 'm' }, TEXTS)).rejects.toThrow(/baseUrl "not a url" is not a URL/);
  });
});
