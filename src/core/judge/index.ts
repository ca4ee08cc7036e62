// Optional LLM judge of steering (the paper's 1–5 scheme) through an OpenAI-compatible chat endpoint.
export { describeFeature, type FeatureEvidence } from './describe';
export { judgeSteering, type JudgeEndpoint, type JudgeOptions, type JudgeVerdict } from './judge';
export { JUDGE_DEFINITION, JUDGE_SUCCESS_SCORE, judgeMessages, parseScore, type SteeringTexts } from './prompt';
