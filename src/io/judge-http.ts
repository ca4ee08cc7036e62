/**
 * The optional LLM judge of steering: one `POST {baseUrl}/chat/completions` to any OpenAI-compatible
 * server (OpenAI, a local Ollama, vLLM or llama.cpp server). Every failure becomes an Error that names
 * the endpoint and the problem; the API key never appears in a message.
 */
import { JUDGE_SUCCESS_SCORE, judgeMessages, parseScore, type SteeringTexts } from '../core/judge/prompt';

export interface JudgeEndpoint {
  /** e.g. https://api.openai.com/v1 or http://localhost:11434/v1 */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when given (local servers usually need none). */
  apiKey?: string;
  model: string;
}

export interface JudgeOptions {
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Give up after this long without a complete reply. Default 60 s. */
  timeoutMs?: number;
}

export interface JudgeVerdict {
  score: 1 | 2 | 3 | 4 | 5;
  /** score ≥ 4. */
  success: boolean;
  /** The judge's reply as sent. */
  reply: string;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const SNIPPET = 200;

export async function judgeSteering(endpoint: JudgeEndpoint, texts: SteeringTexts, options: JudgeOptions = {}): Promise<JudgeVerdict> {
  const url = chatCompletionsUrl(endpoint.baseUrl);
  const fail = (problem: string) => new Error(redact(`judge ${endpoint.model} at ${displayUrl(url)}: ${problem}`, endpoint.apiKey));
  const content = await post(url, endpoint, texts, options, fail);
  const score = parseScore(content);
  if (score === null) throw fail(`the reply holds no score from 1 to 5: "${snippet(content)}"`);
  return { score, success: score >= JUDGE_SUCCESS_SCORE, reply: content };
}

/** The reply's message content; throws `fail(problem)` on any failure. */
async function post(url: URL, endpoint: JudgeEndpoint, texts: SteeringTexts, options: JudgeOptions, fail: (problem: string) => Error): Promise<string> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (endpoint.apiKey) headers.Authorization = `Bearer ${endpoint.apiKey}`;
  // temperature 0: the same texts get the same score, as far as the server allows.
  const body = JSON.stringify({ model: endpoint.model, messages: judgeMessages(texts), temperature: 0 });

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);
  const abort = () => controller.abort();
  options.signal?.addEventListener('abort', abort);
  if (options.signal?.aborted) controller.abort();
  let response: Response;
  let text: string;
  try {
    // The signal also covers reading the body: a server that sends headers and then stalls times out too.
    response = await (options.fetch ?? fetch)(url, { method: 'POST', headers, body, signal: controller.signal });
    text = await response.text();
  } catch (error) {
    if (timedOut) throw fail(`no reply within ${timeoutMs} ms`);
    if (options.signal?.aborted) throw fail('aborted');
    throw fail(`the request failed (${error instanceof Error ? error.message : String(error)})`);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
  }
  if (!response.ok) {
    const hint = response.status === 401 || response.status === 403 ? ' (check the API key)' : '';
    throw fail(`HTTP ${response.status} ${response.statusText}${hint}: "${snippet(text)}"`);
  }
  return messageContent(text, fail);
}

function messageContent(text: string, fail: (problem: string) => Error): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw fail(`the reply is not JSON: "${snippet(text)}"`);
  }
  const content = (json as { choices?: { message?: { content?: unknown } }[] })?.choices?.[0]?.message?.content;
  if (typeof content !== 'string') throw fail(`the reply has no choices[0].message.content: "${snippet(text)}"`);
  return content;
}

function chatCompletionsUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(`${baseUrl.replace(/\/+$/, '')}/chat/completions`);
  } catch {
    throw new Error(`judge: baseUrl "${baseUrl}" is not a URL (e.g. http://localhost:11434/v1)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`judge: baseUrl "${baseUrl}" must be an http or https URL`);
  return url;
}

/** The URL without any user:password part. */
function displayUrl(url: URL): string {
  const shown = new URL(url);
  shown.username = '';
  shown.password = '';
  return shown.toString();
}

/** A server may echo the request (headers included) in its error body. */
function redact(message: string, apiKey: string | undefined): string {
  return apiKey ? message.split(apiKey).join('[API key]') : message;
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= SNIPPET ? line : `${line.slice(0, SNIPPET)}…`;
}
