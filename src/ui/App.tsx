import { useEffect } from 'react';
import { BackendPanel } from './components/BackendPanel';
import { LossCurve } from './components/LossCurve';
import { MetricsReadout } from './components/MetricsReadout';
import { RunControls } from './components/RunControls';
import { useLab } from './store';

export function App() {
  const error = useLab((s) => s.error);
  useEffect(() => void useLab.getState().init(), []);
  return (
    <main>
      <h1>SAE Stability Lab</h1>
      <p className="muted">Trains a sparse autoencoder on MNIST in a Web Worker and plots its loss as it learns.</p>
      <BackendPanel />
      <RunControls />
      {error && (
        <p className="error" data-testid="error">
          {error}
        </p>
      )}
      <MetricsReadout />
      <LossCurve />
    </main>
  );
}
