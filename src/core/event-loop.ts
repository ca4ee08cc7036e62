/**
 * A macrotask turn without setTimeout's 4 ms clamp (MessageChannel exists in pages, workers and Node).
 * Awaiting a settled promise only runs microtasks: a long computation that awaits nothing else never
 * lets a queued message (pause, stop, cancel) in, so loops that such a message should end yield this.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
