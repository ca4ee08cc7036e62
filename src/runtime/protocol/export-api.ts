/**
 * The shard exporter worker's API: runs a GPT-NeoX model over text files in the browser and
 * returns the activation shards with their manifest, as `npm run lab -- export-activations` writes them.
 */
import type { BackendRequest } from './backend-types';
import type { ModelSource } from './lab-api';

export interface ShardExportRequest {
  backend: BackendRequest;
  model: ModelSource;
  /** .txt (one document each) or .jsonl (one document per line's "text"). */
  texts: File[];
  hook: string;
  context: number;
  tokens: number;
  dtype: 'F16' | 'F32';
}

export interface ShardExportProgress {
  rows: number;
  total: number;
}

export interface ShardExport {
  /** File name → bytes: the shards and manifest.json. */
  files: Record<string, Uint8Array>;
  tokens: number;
  model: string;
}

export interface ExportWorkerApi {
  exportShards(request: ShardExportRequest, onProgress: (progress: ShardExportProgress) => void): Promise<ShardExport>;
}
