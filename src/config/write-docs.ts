/**
 * `npm run docs:config`: rewrites the configuration tables of README.md and docs/risk.md from the
 * declarations (src/config/variables.ts). Run from the repository root.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DOC_FILES, withConfigTable } from './docs.js';

for (const file of DOC_FILES) {
  const before = readFileSync(file, 'utf8');
  const after = withConfigTable(file, before);
  if (after !== before) writeFileSync(file, after);
  process.stdout.write(`${file}: ${after === before ? 'up to date' : 'configuration table rewritten'}\n`);
}
