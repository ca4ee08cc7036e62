/**
 * GPT-NeoX (Pythia) in tfjs: load a Hugging Face model folder, run it, read and steer its residual stream,
 * generate text.
 *
 *   const { model, tokenizer } = loadGptNeoxModel(files);           // or loadModelFolder (Node)
 *   const { logits, activations } = model.forward([tokenizer.encode(text)], {
 *     capture: ['blocks.3.hook_resid_post'],                          // [batch, seq, d_model] each
 *     additions: [{ hook: 'blocks.3.hook_resid_post', vector }],      // steering: add a vector there
 *   });                                                                // caller disposes the tensors
 *   const { tokens } = await generate(model, prompt, { maxNewTokens: 30, temperature: 0.7, topP: 0.9, seed: 0,
 *     hooks: [{ hook: 'blocks.3.hook_resid_post', vector: alphaD, at: 'generated' }] });
 *
 * Activation collection: forward(batch, { capture: [hook], stopAt: hook }) skips the later blocks and the
 * 50k-wide unembedding. Incremental decoding: model.createCache(), then forward(..., { cache }) per chunk.
 */
export { GPT_NEOX_ARCHITECTURE, parseGptNeoxConfig, type GptNeoxConfig } from './config';
export { GptNeox, type ForwardOptions, type ForwardResult, type TokenBatch } from './gptneox';
export { KvCache } from './kvcache';
export { residPost, residPre, type HookAddition, type HookName } from './hooks';
export { generate, type GenerateOptions, type GenerateResult, type GenerationHook, type SteeringPositions } from './generate';
export { argmax, createSampler, nucleus, softmax, type Sampler, type SamplerOptions } from './sampling';
export { createTokenizer, type EncodeOptions, type TextTokenizer } from './tokenizer';
export { MODEL_FILES, loadGptNeoxModel, type ModelFiles, type GptNeoxModel } from './model-folder';
