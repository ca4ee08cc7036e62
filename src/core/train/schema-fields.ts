/**
 * The pieces the TrainConfig schema (schema.ts) is built from: fields whose refusals name the setting
 * and its rule. Apart from schema.ts so that the SAE variants (core/sae/variants.ts), which schema.ts
 * reads, can build their own settings' objects from them.
 */
import { z } from 'zod';

export const show = (value: unknown) => (typeof value === 'string' ? `'${value}'` : value === undefined ? 'nothing' : String(value));

/** A number field; `rule` says the allowed range in words, and every refusal names it. */
export function number(label: string, rule: string, ok: (v: number) => boolean) {
  const error = (issue: { input?: unknown }) => (issue.input === undefined ? `${label} is missing (it must be ${rule})` : `${label} must be ${rule} (got ${show(issue.input)})`);
  return z.number({ error }).refine(ok, { error });
}

export const positiveInt = (label: string) => number(label, 'a positive integer', (v) => Number.isInteger(v) && v > 0);
export const nonNegative = (label: string) => number(label, '≥ 0', (v) => v >= 0);
export const wholeNonNegative = (label: string) => number(label, 'a whole number ≥ 0', (v) => Number.isInteger(v) && v >= 0);
export const positive = (label: string) => number(label, 'positive', (v) => v > 0);
export const fraction = (label: string, closed: boolean) => number(label, closed ? 'in [0, 1]' : 'in [0, 1)', (v) => v >= 0 && (closed ? v <= 1 : v < 1));

export function words(values: readonly string[]): string {
  return values.length === 1 ? values[0] : `${values.slice(0, -1).join(', ')} or ${values[values.length - 1]}`;
}

export function choice<const T extends readonly [string, ...string[]]>(label: string, values: T) {
  return z.enum(values, { error: (issue) => `${label} must be ${words(values)} (got ${show(issue.input)})` });
}

export const flag = (name: string) => z.boolean({ error: (issue) => `init.${name} must be true or false (got ${show(issue.input)})` });

/** Strict: unknown keys are refused (configProblems, in schema.ts, names the nearest real key). */
export function strict<T extends z.core.$ZodLooseShape>(what: string, shape: T) {
  return z.strictObject(shape, { error: (issue) => (issue.code === 'invalid_type' ? `${what} must be an object (got ${show(issue.input)})` : undefined) });
}
