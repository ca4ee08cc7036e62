/**
 * The paper's generation settings for steering: 30 new tokens at temperature 0.7, top-p 0.9,
 * strength 5. Free of tfjs, so the page can show them without loading it.
 */
export const LM_STEERING_DEFAULTS = { alpha: 5, maxNewTokens: 30, temperature: 0.7, topP: 0.9 } as const;
