import { ConfigTable } from './config-table';
import { ExportButton } from './export-button';
import { PresetPicker } from './preset-picker';
import { ProblemList } from './problem-list';
import { RunButtons } from './run-buttons';
import { SharedSettings } from './shared-settings';
import { UrlNotes } from './url-notes';

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
