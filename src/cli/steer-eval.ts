/**
 * `npm run lab -- steer-eval --saes DIR...`: the paper's steering experiment, judged by WordNet. For each
 * configuration of the SAEs found (the runner's l2-off and l2-on folders, say), features with a clear
 * concept (the category most of their top-activating glosses share) steer neutral prompts and `<lemma>:`
 * prompts of held-out words at several strengths; a concept classifier trained on the glosses judges each
 * continuation (core/analysis/lm/concept-steering.ts). Strengths are multiples of the mean residual norm at
 * the SAE's hook, so that they mean the same on any model: the paper's 5, 10 and 20 on Pythia-70M stand in
 * the same 1 : 2 : 4 ratio. α = 0 is the control: no trial can succeed there.
 */
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { groupConfigurations } from '../core/align/configurations';
import { DeviceSae } from '../core/analysis/device-sae';
import { CONCEPT_STEERING_DEFAULTS, CONCEPT_STEERING_DEFINITION, conceptFeatures, conceptSteeringSuccess, type ConceptTrial } from '../core/analysis/lm/concept-steering';
import { featureTopLabels } from '../core/analysis/lm/top-labels';
import { NEUTRAL_PROMPTS } from '../core/analysis/lm/steering-success';
import type { FieldSae } from '../core/formats/sae-layouts';
import { classify } from '../core/lm/concept-classifier';
import { fnv1a32 } from '../core/lm/gloss-corpus';
import { JUDGE_FILE, readJudgeFile } from '../core/lm/judge-file';
import { checkHookName, type HookName } from '../core/model/hooks';
import { pythiaPaperConfig } from '../core/presets';
import { saeVariant, type SaeArchitecture } from '../core/sae/variants';
import { meanRowNorm, normaliseRows } from '../core/shards/normalise';
import { compareFeatureRates, featureSuccesses, type FeatureRateComparison } from '../core/stats';
import type { Activation } from '../core/train/config';
import { successRate } from '../core/analysis/wilson';
import { loadModelFolder } from '../io/model-folder-node';
import { readSaeFolders } from '../io/sae-folders-node';
import { loadShardFolder } from '../io/shards-node';
import { loadGlossCorpusNode } from '../io/wordnet-node';
import { runnerLabels } from './align';
import { trainGlossJudge } from './gloss-judge';
import { ProgressBar } from './progress';

export const GLOSS_SAMPLE_DIR = 'public/samples/wordnet-gloss';

export interface SteerEvalOptions {
  saes: string[];
  /** Default: the gloss sample's model. */
  model?: string;
  /** Labelled activation shards at the SAEs' hook; default: the gloss sample's. */
  shards?: string;
  /** The concept judge (concept-judge.safetensors); default: the shards' folder's with the sample's model, else one trained here. */
  judge?: string;
  /** Strengths as multiples of the mean residual norm at the hook. */
  alphas?: number[];
  features?: number;
  /** `<lemma>:` prompts of held-out words, after the paper's three neutral ones. */
  lemmaPrompts?: number;
  seed?: number;
  json?: string;
  log?: (line: string) => void;
}

export const STEER_EVAL_DEFAULTS: Required<Pick<SteerEvalOptions, 'alphas' | 'features' | 'lemmaPrompts' | 'seed'>> = { alphas: [0, 0.5, 1, 2], features: CONCEPT_STEERING_DEFAULTS.features, lemmaPrompts: 3, seed: 0 };

export interface RateReport {
  successes: number;
  trials: number;
  rate: number;
  interval: [number, number];
  features: number;
}

export interface SteerEvalReport {
  model: string;
  hook: string;
  meanResidualNorm: number;
  classifier: { accuracy: number; majority: number; heldOut: number };
  prompts: string[];
  definition: string;
  /** Per α multiple: per configuration its pooled rate (all its seeds), and B against A by features. */
  sweep: {
    multiple: number;
    alpha: number;
    configurations: (RateReport & { label: string; perSeed: RateReport[] })[];
    /** The first configuration against the second (two-sided): Mann–Whitney U over their features' success rates. */
    comparison: { meanRate: [number, number]; pValue: number } | null;
  }[];
}

export async function runSteerEval(options: SteerEvalOptions): Promise<SteerEvalReport> {
  const log = options.log ?? console.log;
  const { alphas = STEER_EVAL_DEFAULTS.alphas, features: featureCount = STEER_EVAL_DEFAULTS.features, lemmaPrompts = STEER_EVAL_DEFAULTS.lemmaPrompts, seed = STEER_EVAL_DEFAULTS.seed } = options;
  for (const a of alphas) if (!Number.isFinite(a) || a < 0) throw new Error(`--alpha: ${a} is not a multiple ≥ 0 of the residual norm`);
  const modelDir = options.model ?? join(GLOSS_SAMPLE_DIR, 'model');
  const shardDir = options.shards ?? GLOSS_SAMPLE_DIR;

  const saes = await readSaeFolders(options.saes);
  const shards = await loadShardFolder(shardDir);
  if (shards.labelNames.length === 0) throw new Error(`${shardDir}: the shards carry no labels, so features have no concept to steer toward (the gloss sample's do)`);
  const rawNorm = meanRowNorm(shards.rows, shards.d_model);
  normaliseRows(shards.rows, shards.d_model); // the SAEs read rows as they were trained on them

  const { model, tokenizer } = await loadModelFolder(modelDir);
  try {
    if (model.config.hiddenSize !== shards.d_model) throw new Error(`${modelDir}: hidden_size ${model.config.hiddenSize}, but the shards have d_model ${shards.d_model}`);
    const hook = checkHook(shards.hook, saes, shardDir, model.config.numLayers);
    log(`model ${modelDir}, hook ${hook}; shards ${shardDir}: ${shards.count} labelled rows, mean residual norm ${rawNorm.toFixed(2)}`);
    const judgePath = options.judge ?? (options.model === undefined ? join(shardDir, JUDGE_FILE) : null);
    const judge = judgePath ? readJudgeFile(new Uint8Array(await readFile(judgePath)), judgePath) : await trainGlossJudge(tokenizer);
    if (judge.classifier.vocabSize !== tokenizer.vocabSize) throw new Error(`${judgePath}: the judge reads ${judge.classifier.vocabSize} token ids, the model's tokenizer has ${tokenizer.vocabSize}`);
    log(
      `concept judge${judgePath ? ` ${judgePath}` : ' (trained on the glosses with the model\'s tokenizer)'}: ${(100 * judge.accuracy).toFixed(1)}% of ${judge.heldOut} held-out glosses ` +
        `(the most common category alone: ${(100 * judge.majority).toFixed(1)}%)`,
    );
    const conceptOfLabel = shards.labelNames.map((name) => (judge.categories.includes(name) ? judge.categories.indexOf(name) : null));
    const promptTexts = [...NEUTRAL_PROMPTS, ...(await heldOutLemmaPrompts(lemmaPrompts, seed))];
    // After a bos, as the page encodes prompts.
    const prompts = promptTexts.map((text) => tokenizer.encode(text, { prependBos: tokenizer.bosTokenId !== null }));

    const groups = runnerLabels(groupConfigurations(saes).map((g) => ({ label: g.label, members: g.saes.map((s) => s.name), saes: g.saes as FieldSae[] })));
    // Each SAE is uploaded once: its features of clear concept are chosen, then steer at every strength.
    const trials = alphas.map(() => groups.map(() => [] as { sae: number; trial: ConceptTrial }[]));
    const perSeed = alphas.map(() => groups.map(() => [] as RateReport[]));
    const bar = new ProgressBar('steering (SAE × strength)', alphas.length * saes.length);
    let done = 0;
    const classifyTokens = (tokens: readonly number[]) => classify(judge.classifier, tokens);
    for (const [gi, group] of groups.entries()) {
      for (const [si, sae] of group.saes.entries()) {
        const device = new DeviceSae(sae.weights, activationOf(sae));
        try {
          const top = await featureTopLabels(device, shards.rows, shards.labels, { top: CONCEPT_STEERING_DEFAULTS.minContexts });
          const features = conceptFeatures(top, (label) => conceptOfLabel[label] ?? null, { count: featureCount, seed });
          log(`${group.label}, ${sae.name}: ${features.length} features of clear concept`);
          for (const [ai, multiple] of alphas.entries()) {
            const result = await conceptSteeringSuccess(model, device, { hook, features, prompts, alpha: multiple * rawNorm, classify: classifyTokens, seed });
            perSeed[ai][gi].push(rateReport(result.successes, result.trials, result.features));
            for (const trial of result.perTrial) trials[ai][gi].push({ sae: si, trial });
            bar.update(++done);
          }
        } finally {
          device.dispose();
        }
      }
    }

    const sweep: SteerEvalReport['sweep'] = alphas.map((multiple, ai) => {
      // A feature is one SAE's direction: its id is unique across the configuration's seeds.
      const perFeature = trials[ai].map((own) => featureSuccesses(own.map(({ sae, trial }) => ({ feature: sae * 1_000_000 + trial.feature, success: trial.success }))));
      const configurations = groups.map((group, gi) => ({
        label: group.label,
        ...rateReport(trials[ai][gi].filter((t) => t.trial.success).length, trials[ai][gi].length, perFeature[gi].length),
        perSeed: perSeed[ai][gi],
      }));
      const comparison: FeatureRateComparison | null = perFeature.length === 2 ? compareFeatureRates(perFeature[0], perFeature[1]) : null;
      return { multiple, alpha: multiple * rawNorm, configurations, comparison: comparison && { meanRate: comparison.meanRate, pValue: comparison.test.pValue } };
    });

    const report: SteerEvalReport = {
      model: modelDir,
      hook,
      meanResidualNorm: rawNorm,
      classifier: { accuracy: judge.accuracy, majority: judge.majority, heldOut: judge.heldOut },
      prompts: promptTexts,
      definition: CONCEPT_STEERING_DEFINITION,
      sweep,
    };
    log('');
    log(sweepTable(report));
    if (options.json) {
      const temporary = `${options.json}.partial`;
      await writeFile(temporary, JSON.stringify(report, null, 2));
      await rename(temporary, options.json);
      log(`\nWrote ${options.json}.`);
    }
    return report;
  } finally {
    model.dispose();
  }
}

function rateReport(successes: number, trials: number, features: number): RateReport {
  const { rate, ci95 } = successRate(successes, trials);
  return { successes, trials, rate, interval: ci95, features };
}

function activationOf(sae: FieldSae): Activation {
  if (sae.training) return sae.training.activation;
  const { kind } = sae.architecture;
  if (kind !== 'relu' && kind !== 'topk') throw new Error(`${sae.name}: steer-eval reads ReLU and TopK SAEs (this one is ${kind})`);
  return saeVariant(kind).fromArchitecture(sae.architecture as SaeArchitecture, pythiaPaperConfig().activation);
}

/** The shards' hook, which every SAE that names one must read too. */
function checkHook(hook: string | null, saes: readonly FieldSae[], shardDir: string, numLayers: number): HookName {
  if (!hook) throw new Error(`${shardDir}: the shards name no hook, so the SAEs cannot be placed in the model`);
  const other = saes.find((s) => s.hookName !== null && s.hookName !== hook);
  if (other) throw new Error(`${other.name} reads ${other.hookName}, the shards ${hook}`);
  checkHookName(hook, numLayers);
  return hook;
}

/** `<lemma>:` of held-out synsets, in a fixed hashed order: words the model never saw defined. */
async function heldOutLemmaPrompts(count: number, seed: number): Promise<string[]> {
  const heldOut = (await loadGlossCorpusNode()).filter((d) => d.split === 'heldout');
  const keyed = heldOut.map((d) => ({ prompt: d.text.slice(0, d.text.indexOf(': ') + 1), key: fnv1a32(`prompt:${seed}:${d.synset.pos}${d.synset.offset}`) }));
  keyed.sort((a, b) => a.key - b.key);
  return keyed.slice(0, count).map((k) => k.prompt);
}

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;

export function sweepTable(report: SteerEvalReport): string {
  const lines = [`α (× norm)  α       ${report.sweep[0]?.configurations.map((c) => c.label.padEnd(30)).join('')}p (B vs A, by feature)`];
  for (const row of report.sweep) {
    const cells = row.configurations.map((c) => `${pct(c.rate)} [${pct(c.interval[0])}, ${pct(c.interval[1])}] ${c.successes}/${c.trials}`.padEnd(30));
    lines.push(`${String(row.multiple).padEnd(12)}${row.alpha.toFixed(2).padEnd(8)}${cells.join('')}${row.comparison ? row.comparison.pValue.toPrecision(2) : '–'}`);
  }
  return lines.join('\n');
}
