/**
 * The UI's API types are generated from the OpenAPI document (scripts/api-types.ts): this fails
 * when ui/src/api/openapi.ts no longer matches what the route schemas produce. Fix: run
 * `npm run gen:api-types` and commit the file.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes } from '../../scripts/api-types.js';

describe('generated UI API types', () => {
  it('ui/src/api/openapi.ts is what `npm run gen:api-types` writes now (regenerate when stale)', async () => {
    const fresh = await generateApiTypes();
    const stored = readFileSync(API_TYPES_FILE, 'utf8');
    expect(stored === fresh, 'ui/src/api/openapi.ts is stale: run npm run gen:api-types').toBe(true);
  });

  it('names the shared reply schemas as OpenAPI components', async () => {
    const text = await generateApiTypes();
    for (const name of ['ApiError', 'Position', 'Order', 'Fill', 'Command', 'Draft', 'Profile']) {
      expect(text).toContain(`        ${name}: {`);
    }
  });
});
