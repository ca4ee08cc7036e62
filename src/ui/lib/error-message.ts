/** An error's message for the page: an Error's own text, anything else as a string. */
export const errorMessage = (e: unknown) => (e instanceof Error ? e.message : String(e));
