/**
 * Redaction of secrets. Providers put keys in URLs (`?apikey=`, `&token=`), so every URL that
 * appears in a message goes through `redactUrl`, and free text (provider error bodies, network
 * error messages) goes through `redactSecrets` with the configured keys.
 */

const SECRET_PARAM =
  /([?&](?:apikey|api_key|token|key|access_token|refresh_token|client_secret)=)[^&#\s"']*/gi;

export const REDACTED = '***';

/** Replaces the value of every secret-looking query parameter with `***`. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAM, `$1${REDACTED}`);
}

/** Replaces every occurrence of each known secret (and secret query parameters) in `text`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = redactUrl(text);
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out;
}
