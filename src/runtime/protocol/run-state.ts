/**
 * The one run lifecycle: every state a run can be in, and the subsets each side uses, derived from
 * it rather than declared again. The strings are the ones saved in IndexedDB records, so renaming a
 * state means upgrading saved records on read.
 *
 *   training ⇄ paused → done | stopped | diverged
 *   training | paused → interrupted (on the page, when no worker is left to finish the run)
 */
export type RunState = 'training' | 'paused' | 'done' | 'stopped' | 'diverged' | 'interrupted';

/** A worker holds the run and can go on training it (pause, resume and stop apply). */
export type ActiveRunState = Extract<RunState, 'training' | 'paused'>;

/** How a run ends. diverged: a metrics read-back (or a checkpoint) was non-finite, and training stopped there. */
export type RunEndReason = Extract<RunState, 'done' | 'stopped' | 'diverged'>;

/**
 * What a worker reports and saves about the run it holds: every state but `interrupted`, which only
 * the page assigns, when it reads a record left training or paused by a reload or a crash.
 */
export type LiveRunState = ActiveRunState | RunEndReason;
