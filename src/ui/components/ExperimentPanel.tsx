import { ConfigTable } from './ConfigTable';
import { ExportButton } from './ExportButton';
import { PresetPicker } from './PresetPicker';
import { ProblemList } from './ProblemList';
import { RunButtons } from './RunButtons';
import { SharedSettings } from './SharedSettings';
import { UrlNotes } from './UrlNotes';

/** Everything that defines the experiment, and the buttons that run it. The URL follows every change. */
export function ExperimentPanel() {
  return (
    <section className="panel experiment" data-testid="experiment-panel">
      <h2>Experiment</h2>
      <UrlNotes />
      <PresetPicker />
      <SharedSettings />
      <ConfigTable />
      <ProblemList />
      <div className="run-row">
        <RunButtons />
        <ExportButton />
      </div>
    </section>
  );
}
