/** Shards over HTTP(S): the network side of src/core/shards, which only ever sees a stream. */
import type { ShardInput } from '../core/shards';

/** A file over HTTP(S), streamed from the response body. Its size is not known until the response arrives. */
export function urlShardInput(url: string, name: string, fetchImpl: typeof fetch = (input, init) => fetch(input, init)): ShardInput {
  return {
    name,
    stream() {
      let body: ReadableStreamDefaultReader<Uint8Array> | null = null;
      return new ReadableStream<Uint8Array>({
        async start() {
          let response: Response;
          try {
            response = await fetchImpl(url);
          } catch (error) {
            throw new Error(`${name}: cannot fetch ${url} (${(error as Error).message})`);
          }
          if (!response.ok) throw new Error(`${name}: HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''} fetching ${url}`);
          if (!response.body) throw new Error(`${name}: the response from ${url} has no body`);
          body = response.body.getReader();
        },
        async pull(controller) {
          const { done, value } = await body!.read();
          if (done) controller.close();
          else controller.enqueue(value);
        },
        cancel: (reason) => body?.cancel(reason),
      });
    },
  };
}
