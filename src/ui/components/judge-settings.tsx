import { useShallow } from 'zustand/react/shallow';
import { JUDGE_DEFINITION } from '../../core/judge/prompt';
import { labStore, useLab } from '../page';

/**
 * The optional LLM judge (off by default): an OpenAI-compatible endpoint and model the person
 * supplies. The key is kept in this page's memory only and sent only to that endpoint.
 */
export function JudgeSettings() {
  const judge = useLab(useShallow((s) => s.judge));
  const set = labStore.getState().setJudge;
  const problem = judge.enabled && (!/^https?:\/\//.test(judge.baseUrl.trim()) ? 'the endpoint must be an http(s) URL' : !judge.model.trim() ? 'name the model' : null);
  return (
    <details className="judge-settings" data-testid="judge-settings">
      <summary>LLM judge (optional, {judge.enabled ? 'on' : 'off'})</summary>
      <p className="caption">{JUDGE_DEFINITION} The key stays in this tab's memory: it is never written to the link or to storage.</p>
      <label>
        <input type="checkbox" data-testid="judge-enabled" checked={judge.enabled} onChange={(e) => set({ enabled: e.target.checked })} /> also score the trials with
        the judge
      </label>
      <div className="judge-fields">
        <label>
          endpoint <input type="url" data-testid="judge-url" placeholder="http://127.0.0.1:8080/v1" value={judge.baseUrl} onChange={(e) => set({ baseUrl: e.target.value })} />
        </label>
        <label>
          model <input type="text" data-testid="judge-model" value={judge.model} onChange={(e) => set({ model: e.target.value })} />
        </label>
        <label>
          API key <input type="password" autoComplete="off" data-testid="judge-key" value={judge.apiKey} onChange={(e) => set({ apiKey: e.target.value })} />
        </label>
      </div>
      {problem && <p className="field-problem">{problem}</p>}
    </details>
  );
}
