// The optional LLM judge of steering (the paper's 1–5 scheme): its prompt and how its reply is read.
// The request to an OpenAI-compatible chat endpoint is network, so it lives at the edge: src/io/judge-http.ts.
export { describeFeature, type FeatureEvidence } from './describe';
export { JUDGE_DEFINITION, JUDGE_SUCCESS_SCORE, judgeMessages, parseScore, type SteeringTexts } from './prompt';
