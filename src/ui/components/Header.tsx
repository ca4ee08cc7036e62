import { BackendLine } from './BackendLine';

/** Title, what the lab is for in two sentences, and where the computing happens. */
export function Header() {
  return (
    <header className="page-header" data-testid="page-header">
      <h1>SAE Stability Lab</h1>
      <p className="intro">
        Sparse autoencoders (SAEs) trained on MNIST from different random seeds: do they learn the same features? Train two configurations side by side,
        by default without and with an L2 weight penalty, and watch how well the seeds' features line up.
      </p>
      <BackendLine />
    </header>
  );
}
