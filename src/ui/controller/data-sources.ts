/**
 * Where the workers' data comes from: MNIST, or activation shards and a GPT-NeoX model from the shipped
 * sample, a URL or files the person picked. Shards and models are loaded into fresh workers (or the
 * current ones) and replace what was loaded only once every worker has them.
 */
import type { LabInitOptions, ModelSource, ShardSource } from '../../runtime/protocol/lab-api';
import { errorMessage } from '../lib/error-message';
import { activeSides, isSample, PICKED_FILES, SAMPLE, SIDE_NAMES, type Experiment, type SampleName, type Side } from '../store/experiment';
import type { LabStore } from '../store/lab-store';
import type { InitReport, SideRunner, StartWorker, Worker } from './side-runner';

/** Where shards or a model come from: a shipped sample, a URL, or files the person picked or dropped. */
export type DataChoice = { kind: 'sample'; name: SampleName } | { kind: 'url'; url: string } | { kind: 'files'; files: File[] };

/** Each shipped sample's folder under the app's root: its shards' manifest.json and its model/ folder. */
const SAMPLE_DIRS: Record<SampleName, string> = { [SAMPLE]: 'samples/wordnet-gloss/', synthetic: 'samples/synthetic/' };
export const sampleShardsPath = (name: SampleName) => `${SAMPLE_DIRS[name]}manifest.json`;
export const sampleModelPath = (name: SampleName) => `${SAMPLE_DIRS[name]}model/`;

/** What the experiment records for a choice: the sample's name, the URL, or PICKED_FILES. */
export const locationOf = (choice: DataChoice) => (choice.kind === 'sample' ? choice.name : choice.kind === 'url' ? choice.url : PICKED_FILES);

export interface DataSources {
  /** Shard files the person picked; the experiment says PICKED_FILES, the files are here (they cannot live in the URL). */
  readonly pickedShards: File[] | null;
  /** What a worker for this experiment is started with; null while shards are still to be chosen. */
  initOptions(experiment?: Experiment): LabInitOptions | null;
  /**
   * Shards for `experiment` in fresh workers, installed only once all of them loaded: a failure
   * terminates the candidates and leaves the current workers, their data and their runs alone.
   */
  loadShardWorkers(experiment: Experiment, files: File[] | null): Promise<boolean>;
  /** Data loaded: the configurations take its width, and the chosen model (if any) follows into the workers. */
  dataArrived(d_model: number): void;
  chooseShards(choice: DataChoice): Promise<boolean>;
  chooseModel(choice: DataChoice): Promise<boolean>;
}

export interface DataSourceDeps {
  store: LabStore;
  startWorker: StartWorker;
  appBaseUrl: string;
  runners: readonly SideRunner[];
  /** The workers of the experiment's active configurations. */
  activeWorkers(): { side: Side; worker: Worker }[];
}

export function createDataSources({ store, startWorker, appBaseUrl, runners, activeWorkers }: DataSourceDeps): DataSources {
  const state = store.getState;
  let pickedShards: File[] | null = null;
  let pickedModel: File[] | null = null;

  const absolute = (path: string) => new URL(path, appBaseUrl).href;

  function shardSource(location: string | null, files: File[] | null): ShardSource | null {
    if (isSample(location)) return { kind: 'url', manifestUrl: absolute(sampleShardsPath(location)) };
    if (location === PICKED_FILES) return files ? { kind: 'files', files } : null;
    return location ? { kind: 'url', manifestUrl: location } : null;
  }

  function modelSource(location: string | null, files: File[] | null): ModelSource | null {
    if (isSample(location)) return { kind: 'url', baseUrl: absolute(sampleModelPath(location)) };
    if (location === PICKED_FILES) return files ? { kind: 'files', files } : null;
    return location ? { kind: 'url', baseUrl: location } : null;
  }

  function initOptions(experiment: Experiment = state().experiment, files = pickedShards): LabInitOptions | null {
    const { backend, trainLimit, dataset } = experiment;
    if (dataset === 'mnist') return { backend, appBaseUrl, ...(trainLimit === null ? {} : { trainLimit }) };
    const shards = shardSource(experiment.shards, files);
    return shards ? { backend, appBaseUrl, shards } : null;
  }

  function dataArrived(d_model: number) {
    state().fitDataWidth(d_model);
    state().patchDataLoad({ phase: 'ready', error: null });
    // A sample's shards bring their own model unless another was chosen.
    const { model, shards } = state().experiment;
    const source = modelSource(model ?? (isSample(shards) ? shards : null), pickedModel);
    if (source) void loadModelInto(source);
  }

  async function loadShardWorkers(experiment: Experiment, files: File[] | null): Promise<boolean> {
    const options = initOptions(experiment, files);
    if (!options) return false;
    const sides = activeSides(experiment);
    state().patchDataLoad({ phase: 'loading', progress: null, error: null });
    let crashed: string | null = null;
    const candidates = sides.map((side) => {
      const runner = runners[side];
      const client = startWorker(`lab ${SIDE_NAMES[side]}`, (text) => (runner.owns(client) ? void runner.recover(client, text) : (crashed ??= text)));
      return { runner, client };
    });
    const results = await Promise.allSettled(candidates.map(({ client }) => client.init(options, (progress) => state().patchDataLoad({ progress }))));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure || crashed) {
      for (const { client } of candidates) client.terminate();
      state().patchDataLoad({ phase: 'error', progress: null, error: errorMessage(failure ? failure.reason : crashed) });
      return false;
    }
    store.setState({ experiment: { ...state().experiment, shards: experiment.shards } });
    const reports = results.map((r) => (r as PromiseFulfilledResult<InitReport>).value);
    candidates.forEach(({ runner, client }, i) => runner.install(client, options, reports[i]));
    if (reports[0].shards) dataArrived(reports[0].shards.d_model);
    return true;
  }

  /** Loads a model into every shard worker; each replaces its model only once the new one loaded. */
  async function loadModelInto(source: ModelSource): Promise<boolean> {
    const shardWorkers = activeWorkers().filter(({ side }) => state().runtime[side].ready?.shards);
    if (shardWorkers.length === 0) return false;
    state().patchModelLoad({ phase: 'loading', error: null });
    try {
      const infos = await Promise.all(shardWorkers.map(({ worker }) => worker.client.api.loadModel(source)));
      state().patchModelLoad({ phase: 'ready', info: infos[0], error: null });
      return true;
    } catch (e) {
      state().patchModelLoad({ phase: state().modelLoad.info ? 'ready' : 'error', error: errorMessage(e) });
      return false;
    }
  }

  return {
    get pickedShards() {
      return pickedShards;
    },
    initOptions: (experiment) => initOptions(experiment),
    loadShardWorkers,
    dataArrived,

    async chooseShards(choice) {
      const files = choice.kind === 'files' ? choice.files : pickedShards;
      const loaded = await loadShardWorkers({ ...state().experiment, shards: locationOf(choice) }, files);
      if (loaded && choice.kind === 'files') pickedShards = choice.files;
      return loaded;
    },

    async chooseModel(choice) {
      const source = modelSource(locationOf(choice), choice.kind === 'files' ? choice.files : pickedModel);
      if (!source) return false;
      const loaded = await loadModelInto(source);
      if (loaded) {
        if (choice.kind === 'files') pickedModel = choice.files;
        state().setExperiment({ model: locationOf(choice) });
      }
      return loaded;
    },
  };
}
