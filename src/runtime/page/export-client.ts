/** The page's side of a shard export: one worker for one export, ended when it is done or fails. */
import * as Comlink from 'comlink';
import type { ExportWorkerApi, ShardExport, ShardExportProgress, ShardExportRequest } from '../protocol/export-api';

export async function exportShardsInWorker(request: ShardExportRequest, onProgress: (progress: ShardExportProgress) => void): Promise<ShardExport> {
  const worker = new Worker(new URL('../../../workers/export.worker.ts', import.meta.url), { type: 'module', name: 'shard export' });
  const api = Comlink.wrap<ExportWorkerApi>(worker);
  const crashed = new Promise<never>((_, reject) => worker.addEventListener('error', (event) => reject(new Error(event.message || 'the export worker failed to start'))));
  try {
    return await Promise.race([api.exportShards(request, Comlink.proxy(onProgress)), crashed]);
  } finally {
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}
