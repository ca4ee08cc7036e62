/** Small readers every SAE layout needs: a config file's JSON object. */

/** The JSON object in `text`, or an error naming `fileName` and what is wrong. */
export function jsonObject(text: string, fileName: string): Record<string, unknown> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${fileName}: not valid JSON (${(error as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new Error(`${fileName}: is not a JSON object`);
  return json as Record<string, unknown>;
}

