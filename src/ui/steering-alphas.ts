/** The α values one steering call asks for: the strip's range plus the slider's α, ascending, each once. */
export function steeringAlphas(strip: readonly number[], alpha: number): number[] {
  return [...new Set([...strip, alpha])].sort((a, b) => a - b);
}
