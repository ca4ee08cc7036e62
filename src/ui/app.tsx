import { AlignmentPanel } from './components/alignment-panel';
import { ArrivalNotice } from './components/arrival-notice';
import { CurvesPanel } from './components/curves-panel';
import { DataPanel } from './components/data-panel';
import { ExperimentPanel } from './components/experiment-panel';
import { FeaturesPanel } from './components/features-panel';
import { Header } from './components/header';
import { InspectorPanel } from './components/inspector-panel';
import { ProgressPanel } from './components/progress-panel';
import { RunLibrary } from './components/run-library';
import { SteeringPanel } from './components/steering-panel';
import { LmSteeringPanel } from './components/lm-steering-panel';
import { useLab } from './page';

/**
 * The lab's one room, top to bottom in the order of the question it answers: on what data, what runs, how
 * training goes, how alike the seeds' features are, and what one feature is and does.
 */
export function App() {
  const dataset = useLab((s) => s.experiment.dataset);
  return (
    <main>
      <Header />
      <DataPanel />
      <ExperimentPanel />
      <ArrivalNotice />
      <RunLibrary />
      <ProgressPanel />
      <CurvesPanel />
      <AlignmentPanel />
      <FeaturesPanel />
      <div className="feature-detail-row">
        <InspectorPanel />
        {dataset === 'mnist' ? <SteeringPanel /> : <LmSteeringPanel />}
      </div>
    </main>
  );
}
