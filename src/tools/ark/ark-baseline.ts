/**
 * The baseline folder: one raw CSV per fund (`<FUND>.csv`), exactly as ARK published it, so the
 * same parser reads both sides of a diff. Files are replaced atomically (temporary file in the
 * same folder, then rename), so an interrupted run leaves the previous baseline intact.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArkCsv } from './ark-csv.js';
import type { Snapshot } from './ark-types.js';

export interface BaselineStore {
  read(fund: string): Snapshot | null;
  write(files: ReadonlyMap<string, string>): void;
}

export function writeAtomic(path: string, text: string): void {
  const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(temp, text, 'utf8');
  renameSync(temp, path);
}

export function folderBaseline(dir: string): BaselineStore {
  return {
    read(fund) {
      const path = join(dir, `${fund}.csv`);
      return existsSync(path) ? parseArkCsv(readFileSync(path, 'utf8'), path) : null;
    },
    write(files) {
      mkdirSync(dir, { recursive: true });
      for (const [fund, text] of files) writeAtomic(join(dir, `${fund}.csv`), text);
    },
  };
}
