import { useShallow } from 'zustand/react/shallow';
import { useLab } from '../page';
import { problemSentences } from '../store/experiment';

/** Why Start is disabled: trainConfigProblems's sentences for each configuration, and the shared settings'. */
export function ProblemList() {
  const problems = useLab(useShallow((s) => problemSentences(s.experiment)));
  if (problems.length === 0) return null;
  return (
    <ul className="problems" data-testid="config-problems" role="alert">
      {problems.map((p) => (
        <li key={p}>{p}</li>
      ))}
    </ul>
  );
}
