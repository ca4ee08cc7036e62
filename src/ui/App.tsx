import { AlignmentPanel } from './components/AlignmentPanel';
import { ArrivalNotice } from './components/ArrivalNotice';
import { CurvesPanel } from './components/CurvesPanel';
import { DataPanel } from './components/DataPanel';
import { ExperimentPanel } from './components/ExperimentPanel';
import { FeaturesPanel } from './components/FeaturesPanel';
import { Header } from './components/Header';
import { InspectorPanel } from './components/InspectorPanel';
import { ProgressPanel } from './components/ProgressPanel';
import { RunLibrary } from './components/RunLibrary';
import { SteeringPanel } from './components/SteeringPanel';
import { LmSteeringPanel } from './components/LmSteeringPanel';
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
