/**
 * The SAE variants (activations) the lab trains, keyed by `Activation['kind']`: what each one is as
 * plain data and rules — its label, its settings' schema, its defaults, the settings a saved SAE
 * keeps, its SAELens names.
 * Its tensor maths (encoding, loss terms, sparse path) is in `variant-math.ts`; the two halves are
 * apart because the page (the controls, the schema, the memory estimate) reads this one without
 * loading tfjs.
 *
 * Adding a variant (JumpReLU, BatchTopK): add its settings to the `Activation` union
 * (core/train/config.ts), then one entry here and one in `VARIANT_MATH` (variant-math.ts). Both
 * tables are typed by `Activation['kind']`, so the compiler refuses a kind without its entries, and
 * so do the few tables that are not the science's (the NumPy bench reference's flags,
 * src/cli/bench-reference.ts). The schema, the page's activation control, the SAELens reader and
 * writer and the benches read the entries; nothing else branches on the kind, except the page's
 * controls for one variant's own settings (TopK's k) in src/ui/store/config-fields.ts.
 */
import { z } from 'zod';
import type { Activation } from '../train/config';
import { nonNegative, positiveInt, strict } from '../train/schema-fields';

export type VariantKind = Activation['kind'];
export type ActivationOf<K extends VariantKind> = Extract<Activation, { kind: K }>;

/** A variant as plain data and rules. `A` is its activation settings, `Arch` what a saved SAE keeps of them. */
export interface SaeVariant<A extends Activation, Arch extends { kind: VariantKind }> {
  /** The choice's label in the page's activation control. */
  label: string;
  /** A phrase for that control's tooltip. */
  hint: string;
  /** Short, for a line naming a shape: 'ReLU', 'TopK 16'. */
  describe(a: A): string;
  /** The settings' rules, each as its own field (core/train/schema.ts joins the variants' objects). */
  schema: z.ZodType<A>;
  /** The settings a freshly chosen variant starts with (switching the page's control keeps nothing else). */
  defaults: A;
  /** The settings encoding reads, which a saved SAE carries (not the training-only ones). */
  architecture(a: A): Arch;
  /** For an SAE trained elsewhere: its file's settings, the training-only ones from `base` or off. */
  fromArchitecture(arch: Arch, base: Activation): A;
  /** A setting that may not exceed the width d_sae, by its key in the config and in cfg.json. */
  widthBound?: { key: string; value(arch: Arch): number };
  /** How many [batch, d_in] × [d_in, d_sae]-sized products a dense training step does (the bench's FLOP count). */
  denseProducts(a: A): number;
  /**
   * For variants with a sparse training path (variant-math.ts): how many (latent, value) slots it keeps
   * per row. Whether that path pays is decided from this (sparse-path.ts).
   */
  sparseSlots?(a: A): number;
  saelens: {
    /** cfg.json's `architecture`, as SAELens names it; older readers use `activation_fn_str`, the kind. */
    architecture: string;
    /** The settings cfg.json carries, both at its top level and in `activation_fn_kwargs`. */
    kwargs(arch: Arch): Record<string, unknown>;
    /** The settings back from a cfg.json that declares this variant; throws naming `fileName`. */
    read(cfg: Record<string, unknown>, fileName: string): Arch;
  };
}

const relu = {
  label: 'ReLU + L1',
  hint: 'ReLU with an L1 sparsity penalty λ_s·mean|f|',
  describe: () => 'ReLU',
  schema: strict('activation', { kind: z.literal('relu'), l1Coeff: nonNegative('sparsity coefficient λ_s') }),
  defaults: { kind: 'relu', l1Coeff: 0.1 },
  architecture: () => ({ kind: 'relu' }),
  // λ_s only shapes training: a file does not say it, so keep the base's when it is a ReLU one.
  fromArchitecture: (_arch, base) => (base.kind === 'relu' ? base : { kind: 'relu', l1Coeff: 0 }),
  denseProducts: () => 6,
  saelens: { architecture: 'standard', kwargs: () => ({}), read: () => ({ kind: 'relu' }) },
} satisfies SaeVariant<ActivationOf<'relu'>, { kind: 'relu' }>;

const topk = {
  label: 'TopK',
  hint: 'TopK keeping the k largest latents',
  describe: (a) => `TopK ${a.k}`,
  schema: strict('activation', { kind: z.literal('topk'), k: positiveInt('k'), auxkCoeff: nonNegative('AuxK coefficient'), kAux: positiveInt('k_aux') }),
  defaults: { kind: 'topk', k: 16, auxkCoeff: 1 / 32, kAux: 64 },
  architecture: (a) => ({ kind: 'topk', k: a.k }),
  // AuxK is a training-only term: off for an SAE that will not train here.
  fromArchitecture: (arch) => ({ kind: 'topk', k: arch.k, auxkCoeff: 0, kAux: 0 }),
  widthBound: { key: 'k', value: (arch) => arch.k },
  // AuxK decodes its own selection: a forward product and two backward ones.
  denseProducts: (a) => (a.auxkCoeff > 0 ? 9 : 6),
  sparseSlots: (a) => a.k + (a.auxkCoeff > 0 ? a.kAux : 0),
  saelens: {
    architecture: 'topk',
    kwargs: (arch) => ({ k: arch.k }),
    read(cfg, fileName) {
      const kwargs = cfg.activation_fn_kwargs as Record<string, unknown> | undefined;
      const k = cfg.k ?? kwargs?.k;
      if (!Number.isSafeInteger(k) || (k as number) <= 0) throw new Error(`${fileName}: topk needs a positive integer k, got ${JSON.stringify(k)}`);
      return { kind: 'topk', k: k as number };
    },
  },
} satisfies SaeVariant<ActivationOf<'topk'>, { kind: 'topk'; k: number }>;

/** Every variant by kind; a kind of `Activation` without an entry does not compile. */
export const SAE_VARIANTS = { relu, topk } satisfies { [K in VariantKind]: SaeVariant<ActivationOf<K>, { kind: K }> };

/** The kinds in the order the page lists them. */
export const VARIANT_KINDS = Object.keys(SAE_VARIANTS) as VariantKind[];

/** What a saved SAE keeps of its activation: `{ kind: 'relu' }`, `{ kind: 'topk', k }`. */
export type SaeArchitecture = ReturnType<(typeof SAE_VARIANTS)[VariantKind]['architecture']>;

/** Any variant, its functions taking any activation: what a lookup by a run-time kind gives. */
export type AnySaeVariant = SaeVariant<Activation, SaeArchitecture>;

/**
 * The variant of a kind. Typed loosely on purpose: TypeScript cannot relate a union `kind` to the
 * entry it picks, and the entry's functions only ever receive settings of their own kind.
 */
export function saeVariant(kind: VariantKind): AnySaeVariant {
  return SAE_VARIANTS[kind] as unknown as AnySaeVariant;
}

/** What a saved SAE keeps of `activation`. */
export function saeArchitecture(activation: Activation): SaeArchitecture {
  return saeVariant(activation.kind).architecture(activation);
}

/** Whether two architectures are the same kind with the same settings. */
export function sameArchitecture(a: SaeArchitecture, b: SaeArchitecture): boolean {
  const [left, right] = [a as Record<string, unknown>, b as Record<string, unknown>];
  return Object.keys(left).length === Object.keys(right).length && Object.keys(left).every((key) => left[key] === right[key]);
}
