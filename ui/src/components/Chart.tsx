/**
 * A Vega-Lite chart rendered by vega-embed as SVG. CSP-safe: expressions are parsed to an AST
 * and run by vega-interpreter (no eval / new Function), so the page's script-src stays 'self'.
 * The spec comes from a pure builder in charts/; the chart re-renders when the spec changes.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import embed, { type Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import type { TopLevelSpec } from 'vega-lite';

interface Props {
  spec: TopLevelSpec;
  label: string;
  testId: string;
  empty?: string | null;
}

export function Chart({ spec, label, testId, empty = null }: Props) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  const key = useMemo(() => JSON.stringify(spec), [spec]);
  useEffect(() => {
    const el = ref.current;
    if (!el || empty) return;
    let result: Result | null = null;
    let cancelled = false;
    embed(el, JSON.parse(key) as TopLevelSpec, {
      actions: false,
      renderer: 'svg',
      ast: true,
      expr: expressionInterpreter,
      tooltip: { theme: 'dark' },
    })
      .then((r) => {
        if (cancelled) r.finalize();
        else {
          result = r;
          setError(null);
        }
      })
      .catch((e: unknown) => setError(String(e)));
    return () => {
      cancelled = true;
      result?.finalize();
    };
  }, [key, empty]);
  return (
    <figure className="chart" data-testid={testId} aria-label={label}>
      <figcaption className="chart-title">{label}</figcaption>
      {empty ? <p className="empty">{empty}</p> : <div ref={ref} className="chart-body" />}
      {error ? <p className="error">Chart failed: {error}</p> : null}
    </figure>
  );
}
