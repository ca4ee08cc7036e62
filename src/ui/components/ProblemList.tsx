import { useShallow } from 'zustand/react/shallow';
import { useLab } from '../page';
import { experimentProblems, SIDE_NAMES } from '../store/experiment';

/** Why Start is disabled: trainConfigProblems's sentences for each configuration, and the shared settings'. */
export function ProblemList() {
  const problems = useLab(
    useShallow((s) => {
      const { perSide, shared } = experimentProblems(s.experiment);
      const named = (side: 0 | 1) => perSide[side].map((p) => (s.experiment.compare ? `${SIDE_NAMES[side]}: ${p}` : p));
      return [...shared, ...named(0), ...named(1)];
    }),
  );
  if (problems.length === 0) return null;
  return (
    <ul className="problems" data-testid="config-problems" role="alert">
      {problems.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}
