/**
 * A language-model training checkpoint as one safetensors file: parameters and Adam's moments as F32 tensors
 * (`param/<name>`, `adam_m/<name>`, `adam_v/<name>`, names as Hugging Face's, layout as the trainer's) and the
 * rest (step, Adam's step, the run's settings) as JSON in the metadata. Bytes in, bytes out: the caller writes.
 */
import { openSafetensors, writeSafetensors, type TensorToWrite } from '../formats/safetensors';
import type { LmTrainerState } from './lm-trainer';

const VERSION = 1;

export interface LmCheckpoint {
  state: LmTrainerState;
  /** The run's settings and anything else the caller keeps (JSON-able). */
  run: Record<string, unknown>;
}

export function encodeLmCheckpoint({ state, run }: LmCheckpoint, fileName = 'checkpoint.safetensors'): Uint8Array {
  const tensors: Record<string, TensorToWrite> = {};
  state.paramNames.forEach((name, i) => {
    tensors[`param/${name}`] = { dtype: 'F32', shape: [state.params[i].length], data: state.params[i] };
    tensors[`adam_m/${name}`] = { dtype: 'F32', shape: [state.m[i].length], data: state.m[i] };
    tensors[`adam_v/${name}`] = { dtype: 'F32', shape: [state.v[i].length], data: state.v[i] };
  });
  const meta = { version: VERSION, step: state.step, adamStep: state.adamStep, paramNames: state.paramNames, run };
  return writeSafetensors(tensors, { metadata: { lm_checkpoint: JSON.stringify(meta) }, fileName });
}

export function decodeLmCheckpoint(bytes: Uint8Array, fileName = 'checkpoint.safetensors'): LmCheckpoint {
  const reader = openSafetensors(bytes, fileName);
  const json = reader.metadata.lm_checkpoint;
  if (json === undefined) throw new Error(`${fileName}: not a language-model checkpoint (no "lm_checkpoint" metadata)`);
  const meta = JSON.parse(json) as { version: number; step: number; adamStep: number; paramNames: string[]; run: Record<string, unknown> };
  if (meta.version !== VERSION) throw new Error(`${fileName}: checkpoint version ${meta.version}, this trainer reads version ${VERSION}`);
  const read = (prefix: string) => meta.paramNames.map((name) => reader.readFloat32(`${prefix}/${name}`).data);
  return {
    state: { step: meta.step, adamStep: meta.adamStep, paramNames: meta.paramNames, params: read('param'), m: read('adam_m'), v: read('adam_v') },
    run: meta.run,
  };
}
