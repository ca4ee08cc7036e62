/**
 * A lab session on MNIST: the training images shared by every seed, the test digits the inspector
 * reads features on, and the digit classifier that judges steering.
 */
import { DEFAULT_CLASSIFIER, DigitClassifier, uploadDigits, type ClassifierConfig } from '../../core/analysis';
import type { MnistSplit } from '../../core/data/mnist';
import { tensorSource } from '../../core/train/source';
import { LabSession } from './lab-session';
import { MnistAnalysis } from './mnist-analysis';
import type { RunStore } from '../storage/run-store';
import type { PacerOptions } from './snapshot-pacer';

export interface MnistSessionOptions {
  classifier?: ClassifierConfig;
  /**
   * Digits the judging classifier learns from, when the SAEs train on fewer (a quick run limited to
   * a few hundred images would otherwise get a classifier too poor to judge steering).
   */
  classifierTrain?: MnistSplit;
  pacing?: PacerOptions;
  runs?: () => Promise<RunStore>;
}

export interface MnistSession {
  session: LabSession<MnistAnalysis>;
  /** Held-out accuracy of the classifier on the test split. */
  classifierAccuracy: number;
  testSize: number;
}

/** Uploads the training images once (every seed's trainer shares them) and the test digits, and trains the judging classifier. */
export async function createMnistSession(trainSplit: MnistSplit, testSplit: MnistSplit, options: MnistSessionOptions = {}): Promise<MnistSession> {
  const d_in = trainSplit.images.length / trainSplit.count;
  const train = tensorSource(trainSplit.images, d_in);
  const test = uploadDigits(testSplit);
  const judgeSplit = options.classifierTrain ?? trainSplit;
  const judgeRows = options.classifierTrain ? tensorSource(judgeSplit.images, d_in) : train;
  const classifier = await DigitClassifier.train({ rows: judgeRows, labels: judgeSplit.labels }, options.classifier ?? DEFAULT_CLASSIFIER).finally(() => {
    if (judgeRows !== train) judgeRows.dispose();
  });
  const classifierAccuracy = await classifier.accuracy({ rows: test.rows, labels: testSplit.labels });
  const resources = { test, classifier };
  const session = new LabSession(train, (state) => new MnistAnalysis(state, resources), { pacing: options.pacing, runs: options.runs });
  return { session, classifierAccuracy, testSize: testSplit.count };
}
