import { AlignmentPanel } from './components/AlignmentPanel';
import { CurvesPanel } from './components/CurvesPanel';
import { ExperimentPanel } from './components/ExperimentPanel';
import { FeaturesPanel } from './components/FeaturesPanel';
import { Header } from './components/Header';
import { InspectorPanel } from './components/InspectorPanel';
import { ProgressPanel } from './components/ProgressPanel';
import { SteeringPanel } from './components/SteeringPanel';

/**
 * The lab's one room, top to bottom in the order of the question it answers: what runs, how
 * training goes, how alike the seeds' features are, and what one feature is and does.
 */
export function App() {
  return (
    <main>
      <Header />
      <ExperimentPanel />
      <ProgressPanel />
      <CurvesPanel />
      <AlignmentPanel />
      <FeaturesPanel />
      <div className="feature-detail-row">
        <InspectorPanel />
        <SteeringPanel />
      </div>
    </main>
  );
}
