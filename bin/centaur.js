#!/usr/bin/env node
// Entry point of the `centaur` command: runs the TypeScript CLI through tsx's loader, so the
// command always runs the sources it ships with (no stale build can shadow them).
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
await import(pathToFileURL(join(root, 'src', 'cli', 'main.ts')).href);
