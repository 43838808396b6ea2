/**
 * The contract (src/contract) is the one place where the strings the engine, the API and the UI
 * must agree on are written. This test reads every source file of src/ and ui/src (the contract
 * itself, tests and the simulator aside) with the TypeScript parser and fails when:
 *   - a string literal (or the head of a template literal) equals a catalogued audit action or
 *     watermark key, builds an audit action from its family (`command.${...}`), or starts with the
 *     client order id prefix `ctr-`;
 *   - a list (array literal, `new Set([...])`, JSON-schema `enum`, or a union type) spells out two
 *     or more values of one catalogued set again (counting only values no other set has):
 *     stream states, order statuses, command statuses, command types, SSE event kinds, market
 *     sessions. Single uses (`case 'orders':`, a status
 *     compared once) are type-checked against the contract's types instead.
 * ALLOWED lists the few places that must define a set themselves, each with its reason.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import {
  AUDIT_ACTION_LIST,
  CLIENT_ORDER_ID_PREFIX,
  COMMAND_STATUSES,
  COMMAND_TYPES,
  ENGINE_STREAM_STATES,
  ORDER_STATUSES,
  SSE_EVENT_KINDS,
  WATERMARK_KEYS,
} from '../../src/contract/index.js';
import { MARKET_SESSIONS } from '../../src/core/risk/risk-types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Sets whose values are ordinary words: only a list of two or more of them is a re-definition. */
const SETS: Record<string, ReadonlySet<string>> = {
  'stream states': new Set(ENGINE_STREAM_STATES),
  'order statuses': new Set(ORDER_STATUSES),
  'command statuses': new Set(COMMAND_STATUSES),
  'command types': new Set(COMMAND_TYPES),
  'SSE event kinds': new Set(SSE_EVENT_KINDS),
  'market sessions': new Set(MARKET_SESSIONS),
};

/** Values in more than one set ('rejected' is an order and a command status) tell no set apart. */
const SHARED: ReadonlySet<string> = new Set(
  Object.values(SETS).flatMap((set) =>
    [...set].filter((v) => Object.values(SETS).filter((s) => s.has(v)).length > 1),
  ),
);

/** Distinctive values: written anywhere else at all, they are a second definition. */
const EXACT: ReadonlySet<string> = new Set([...AUDIT_ACTION_LIST, ...WATERMARK_KEYS]);
const AUDIT_FAMILIES: ReadonlySet<string> = new Set(AUDIT_ACTION_LIST.map((a) => `${a.split('.')[0]}.`));

/** File (relative, with /) -> the sets it may define, and why. */
const ALLOWED: Record<string, { sets: string[]; why: string }> = {
  'src/core/order.ts': {
    sets: ['order statuses'],
    why: 'core defines the statuses and the open/final sets (it applies updates by them and may not import the contract, which re-exports them)',
  },
  'src/core/command.ts': {
    sets: ['command types', 'command statuses'],
    why: 'core defines the command lifecycle (the contract re-exports it)',
  },
  'src/core/risk/risk-types.ts': {
    sets: ['market sessions'],
    why: 'core defines the sessions the risk checks judge (the contract schema uses them)',
  },
  'src/ports/broker.ts': {
    sets: ['stream states'],
    why: "the broker port's own socket states, what an adapter reports (not the heartbeat's); the engine assigns them to the contract's EngineStreamState, so the compiler checks they are a subset",
  },
};

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sources(path));
    else if (/\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts'))
      out.push(path);
  }
  return out;
}

/**
 * Not scanned: the contract itself; the simulator (a separate broker that shares only core);
 * migrations (frozen history: they keep the table names and CHECK lists of the schema they
 * created, and must never follow a later definition).
 */
const NOT_SCANNED = [
  'src/contract/',
  'src/sim/',
  'src/adapters/storage/migrations/',
  // Generated from the OpenAPI document, whose enums come from the contract (kept fresh by
  // test/api/openapi-types.test.ts).
  'ui/src/api/openapi.ts',
];

function scanned(): string[] {
  return [...sources(join(ROOT, 'src')), ...sources(join(ROOT, 'ui', 'src'))]
    .map((p) => relative(ROOT, p).split(sep).join('/'))
    .filter((p) => !NOT_SCANNED.some((dir) => p.startsWith(dir)));
}

interface Finding {
  file: string;
  line: number;
  problem: string;
}

function stringsOf(node: ts.Node): string[] {
  const members = ts.isArrayLiteralExpression(node)
    ? node.elements
    : ts.isUnionTypeNode(node)
      ? node.types.map((t) => (ts.isLiteralTypeNode(t) ? t.literal : t))
      : [];
  return members
    .filter((m) => ts.isStringLiteral(m) || ts.isNoSubstitutionTemplateLiteral(m))
    .map((m) => m.text);
}

function findStrays(file: string, text: string): Finding[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const allowed = new Set(ALLOWED[file]?.sets ?? []);
  const found: Finding[] = [];
  const report = (node: ts.Node, problem: string) =>
    found.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1, problem });
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) {
      const value = node.text;
      const whole = !ts.isTemplateHead(node);
      if (whole && EXACT.has(value)) report(node, `'${value}' is catalogued in src/contract`);
      else if (value.startsWith(CLIENT_ORDER_ID_PREFIX))
        report(node, `'${value}...' spells the client order id prefix (use src/contract/client-order-id.ts)`);
      else if (!whole && AUDIT_FAMILIES.has(value))
        report(node, `\`${value}\${...}\` builds an audit action (use AUDIT_ACTIONS)`);
    }
    const strings = stringsOf(node);
    if (strings.length >= 2) {
      for (const [name, set] of Object.entries(SETS)) {
        const hits = strings.filter((s) => set.has(s) && !SHARED.has(s));
        if (hits.length >= 2 && !allowed.has(name))
          report(
            node,
            `a list of ${name} (${hits.join(', ')}) is defined again; import it from src/contract`,
          );
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('the contract is the one place its strings are written', () => {
  it('finds no catalogued string or set outside src/contract', () => {
    const findings = scanned().flatMap((file) => findStrays(file, readFileSync(join(ROOT, file), 'utf8')));
    expect(findings.map((f) => `${f.file}:${f.line} ${f.problem}`)).toEqual([]);
  });

  it('catches each kind of stray (the scanner itself works)', () => {
    const sample = [
      "const a = 'kill_switch.started';",
      "const b = store.watermarks.get(p, 'market_session');",
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text for the scanner
      'const c = `ctr-draft-${id}`;',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: source text for the scanner
      'const d = `command.${status}`;',
      "const e = new Set(['listening', 'disabled']);",
      "type F = 'queued' | 'running' | 'succeeded';",
      "const g = { enum: ['positions', 'orders'] };",
      "const ok = ['listening'];",
    ].join('\n');
    expect(findStrays('src/x.ts', sample).map((f) => f.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('allows each listed file only the sets it must define, and every listed file exists', () => {
    const files = new Set(scanned());
    for (const file of Object.keys(ALLOWED)) expect(files.has(file), file).toBe(true);
    expect(findStrays('src/core/order.ts', "const s = new Set(['queued', 'running']);")).toHaveLength(1);
  });
});
