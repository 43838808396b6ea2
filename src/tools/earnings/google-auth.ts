/**
 * OAuth access for the Google Calendar sync without the googleapis package: read the client
 * credentials (the JSON Google's console downloads, `installed` or `web`) and the saved token
 * (google-auth-library's `{access_token, refresh_token, expiry_date}` or the Python client's
 * `{token, refresh_token, expiry}`), and refresh the access token through the injected fetch.
 * Tokens never appear in messages.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { type HttpDeps, requestJson } from './http-json.js';
import { ToolConfigError, ToolError } from './tool-errors.js';

const DEFAULT_TOKEN_URI = 'https://oauth2.googleapis.com/token';

const ClientSecret = z.object({
  client_id: z.string().min(1),
  client_secret: z.string().min(1),
  token_uri: z.url().optional(),
});
const CredentialsFile = z.union([
  z.object({ installed: ClientSecret }).transform((c) => c.installed),
  z.object({ web: ClientSecret }).transform((c) => c.web),
  ClientSecret,
]);
const TokenFile = z.object({
  access_token: z.string().optional(),
  token: z.string().optional(),
  refresh_token: z.string().min(1).optional(),
  expiry_date: z.number().optional(),
  expiry: z.string().optional(),
});
const RefreshResponse = z.object({ access_token: z.string().min(1), expires_in: z.number().optional() });

export interface GoogleAuthFiles {
  credentialsPath: string;
  tokenPath: string;
}

type ReadText = (path: string, encoding: 'utf8') => string;

function readJson<T>(path: string, schema: z.ZodType<T>, what: string, variable: string, read: ReadText): T {
  let raw: unknown;
  try {
    raw = JSON.parse(read(path, 'utf8'));
  } catch (error) {
    throw new ToolConfigError(`cannot read the ${what} at ${variable}=${path}: ${(error as Error).name}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join('.') || '(root)').join(', ');
    throw new ToolConfigError(
      `the ${what} at ${variable}=${path} is not in a known format (check: ${fields})`,
    );
  }
  return parsed.data;
}

/** Returns a valid access token: the saved one while it has a minute left, else a refreshed one. */
export async function getAccessToken(
  files: GoogleAuthFiles,
  deps: HttpDeps,
  read: ReadText = (path, encoding) => readFileSync(path, encoding),
): Promise<string> {
  const client = readJson(
    files.credentialsPath,
    CredentialsFile,
    'Google client credentials',
    'GOOGLE_CREDENTIALS_PATH',
    read,
  );
  const token = readJson(files.tokenPath, TokenFile, 'Google token', 'GOOGLE_TOKEN_PATH', read);
  const access = token.access_token ?? token.token;
  const expiresAt = token.expiry_date ?? (token.expiry ? Date.parse(token.expiry) : Number.NaN);
  if (access && Number.isFinite(expiresAt) && expiresAt - deps.now().getTime() > 60_000) return access;
  if (!token.refresh_token) {
    throw new ToolConfigError(
      `the Google token at GOOGLE_TOKEN_PATH has expired and holds no refresh_token; authorize again`,
    );
  }
  const body = new URLSearchParams({
    grant_type: 'refresh_token',
    client_id: client.client_id,
    client_secret: client.client_secret,
    refresh_token: token.refresh_token,
  });
  const secrets = [...deps.secrets, client.client_secret, token.refresh_token, access];
  const response = await requestJson(
    {
      source: 'Google OAuth',
      url: client.token_uri ?? DEFAULT_TOKEN_URI,
      init: { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
    },
    { ...deps, secrets },
  );
  const parsed = RefreshResponse.safeParse(response);
  if (!parsed.success) throw new ToolError('Google OAuth: the token refresh returned no access_token');
  return parsed.data.access_token;
}
