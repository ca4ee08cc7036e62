import { useState } from 'react';
import { switchConfiguration } from '../cross-partner';
import { crossPartners, labStore } from '../page';
import type { Side } from '../store/experiment';

/**
 * Moving the inspector to the other configuration's matched partner (matched in a worker, so it
 * takes a moment): whether a switch is under way, why the last one failed, and the switch itself.
 */
export function useConfigurationSwitch(): { switching: boolean; problem: string | null; switchTo: (to: Side) => Promise<void> } {
  const [switching, setSwitching] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const switchTo = async (to: Side) => {
    setSwitching(true);
    setProblem(null);
    try {
      setProblem(await switchConfiguration(labStore, crossPartners, to));
    } finally {
      setSwitching(false);
    }
  };
  return { switching, problem, switchTo };
}
