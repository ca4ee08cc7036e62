/**
 * Page URL parameters, so a run can be linked and tests can ask for tiny, fast configs
 * (absent ones keep teachingDemoConfig's defaults):
 *   ?backend=auto|webgpu|webgl|wasm|cpu  force a tfjs backend (default auto)
 *   ?steps=n   training steps          ?width=n   SAE latents (d_sae)
 *   ?batch=n   batch size              ?seed=n    run seed
 *   ?every=n   read metrics back every n steps
 *   ?images=n  train on the first n MNIST training images only
 */
import { parseBackendRequest, type BackendRequest } from '../runtime/backend-types';
import type { ConfigOverrides } from '../core/presets';

export interface PageParams {
  backend: BackendRequest;
  trainLimit?: number;
  configOverrides: ConfigOverrides;
}

function positiveInt(params: URLSearchParams, name: string): number | undefined {
  const value = Number(params.get(name));
  return params.has(name) && Number.isInteger(value) && value > 0 ? value : undefined;
}

export function readPageParams(search: string): PageParams {
  const params = new URLSearchParams(search);
  const steps = positiveInt(params, 'steps');
  const seed = Number(params.get('seed'));
  const overrides: ConfigOverrides = {
    d_sae: positiveInt(params, 'width'),
    batchSize: positiveInt(params, 'batch'),
    metricsEvery: positiveInt(params, 'every'),
    length: steps ? { unit: 'steps', value: steps } : undefined,
    seed: params.has('seed') && Number.isInteger(seed) ? seed : undefined,
  };
  // Drop absent values so they don't overwrite the preset's defaults.
  const configOverrides = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as ConfigOverrides;
  return { backend: parseBackendRequest(params.get('backend')), trainLimit: positiveInt(params, 'images'), configOverrides };
}
