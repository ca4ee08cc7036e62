/** Backend names and reports shared by the page, the worker and Node. Plain data: no tfjs import. */

/** Best first: the order auto mode tries them in. */
export const BACKEND_ORDER = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;

export type BackendName = (typeof BACKEND_ORDER)[number];
export type BackendRequest = BackendName | 'auto';

export interface BackendReport {
  /** The backend tfjs runs on now. */
  name: BackendName;
  /** What was asked for: a forced backend is used even where auto mode would skip it. */
  requested: BackendRequest;
  /** Why each better backend was not used, e.g. "webgpu: only a software fallback adapter (google swiftshader)". */
  reasons: string[];
  /** What the chosen backend runs on, e.g. "SIMD, 2 threads" or the GPU adapter. */
  detail: string;
}

export function parseBackendRequest(value: string | null | undefined): BackendRequest {
  if (value && (BACKEND_ORDER as readonly string[]).includes(value)) return value as BackendName;
  return 'auto';
}
