/**
 * Import boundaries of DESIGN.md's layout, checked in CI (`npm run boundaries`).
 * Dependencies point inward: core depends on nothing of ours; ports only on core; adapters and
 * processes on core and ports; nothing depends on the CLI; the simulator stands alone.
 */
const forbid = (name, comment, from, to) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to },
});

module.exports = {
  forbidden: [
    forbid(
      'core-is-pure',
      'src/core imports nothing outside core (no adapters, processes, config or vendors).',
      '^src/core/',
      '^src/(?!core/)',
    ),
    {
      name: 'core-no-vendors',
      comment: 'core may use only node built-ins and decimal.js.',
      severity: 'error',
      from: { path: '^src/core/' },
      to: {
        dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer'],
        pathNot: 'node_modules/decimal\\.js/',
      },
    },
    forbid(
      'contract-on-core-only',
      'the engine/API/UI contract builds on core only (engine, API, adapters, CLI and UI import it).',
      '^src/contract/',
      '^src/(?!core/|contract/)',
    ),
    {
      name: 'contract-browser-safe',
      comment: 'the contract may use only zod: the UI bundles it for the browser (no Node built-ins).',
      severity: 'error',
      from: { path: '^src/contract/' },
      to: {
        dependencyTypes: ['core', 'npm', 'npm-dev', 'npm-optional', 'npm-peer'],
        pathNot: 'node_modules/zod/',
      },
    },
    forbid(
      'ports-on-core-only',
      "ports are interfaces over core types and the contract's names.",
      '^src/ports/',
      '^src/(?!core/|ports/|contract/)',
    ),
    {
      name: 'ports-no-vendors',
      comment: 'no vendor type crosses a port.',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { dependencyTypes: ['npm', 'npm-dev', 'npm-optional', 'npm-peer'] },
    },
    forbid(
      'adapters-not-processes',
      'adapters never reach into processes or the CLI.',
      '^src/adapters/',
      '^src/(engine|api|cli|sim|tools)/',
    ),
    forbid(
      'sim-stands-alone',
      'the simulator is a separate broker: it shares only core value types.',
      '^src/sim/',
      '^src/(?!sim/|core/)',
    ),
    forbid(
      'tools-stand-alone',
      'optional tools do not reach into the trading processes.',
      '^src/tools/',
      '^src/(engine|api|adapters|sim)/',
    ),
    forbid('nobody-imports-cli', 'the CLI is the outermost layer.', '^src/(?!cli/)', '^src/cli/'),
    forbid(
      'engine-not-api',
      'engine and API talk through the bus and the database only.',
      '^src/engine/',
      '^src/api/',
    ),
    forbid(
      'api-not-engine',
      'engine and API talk through the bus and the database only.',
      '^src/api/',
      '^src/engine/',
    ),
    forbid(
      'api-not-broker',
      'the control plane never talks to the broker.',
      '^src/api/',
      '^src/(adapters/alpaca|sim)/',
    ),
    {
      name: 'no-circular',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'tests-not-in-runtime',
      comment: 'runtime code never imports test code.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.test\\.ts$' },
      to: { path: '(^test/|\\.test\\.ts$)' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
