/**
 * One run of `centaur ark-holdings`: fetch every configured fund, parse, diff against the
 * baseline, render the markdown and JSON reports, e-mail them when asked, and only then — when
 * every fund was fetched and parsed and the e-mail (if any) went out — replace the baseline.
 * A failed run leaves the baseline as it was, so the next run reports the same changes again.
 */
import { join } from 'node:path';
import type { BaselineStore } from './ark-baseline.js';
import type { ArkConfig } from './ark-config.js';
import { parseArkCsv } from './ark-csv.js';
import { diffFund } from './ark-diff.js';
import { type MailTransport, sendReport } from './ark-email.js';
import { ArkError } from './ark-errors.js';
import { fetchHoldingsCsv, redactQuery } from './ark-fetch.js';
import { renderJson, renderMarkdown } from './ark-report.js';
import { summariseByTicker } from './ark-summary.js';
import type { ArkReport, FundDiff, Snapshot } from './ark-types.js';

export interface ArkRunDeps {
  fetchFn: typeof fetch;
  now: () => Date;
  progress: (line: string) => void;
  output: (text: string) => void;
  baseline: BaselineStore;
  writeReport: (path: string, text: string) => void;
  transport: () => MailTransport;
}

export interface ArkRunResult {
  report: ArkReport;
  markdown: string;
  json: string;
  reportPaths: string[];
  baselineUpdated: boolean;
}

interface Fetched {
  snapshots: Map<string, { snapshot: Snapshot; text: string }>;
  failures: ArkReport['failures'];
}

async function fetchAll(config: ArkConfig, deps: ArkRunDeps): Promise<Fetched> {
  const snapshots: Fetched['snapshots'] = new Map();
  const failures: Fetched['failures'] = [];
  for (const [i, fund] of config.funds.entries()) {
    const url = config.urls[fund];
    deps.progress(`fetching ${fund} (${i + 1}/${config.funds.length}) from ${redactQuery(url)}`);
    try {
      const text = await fetchHoldingsCsv(fund, url, deps.fetchFn, deps.now);
      const snapshot = parseArkCsv(text, `${fund} CSV`);
      if (snapshot.fund !== fund)
        throw new ArkError(`${fund}: the CSV at ${redactQuery(url)} holds fund ${snapshot.fund}`);
      snapshots.set(fund, { snapshot, text });
      deps.progress(`${fund}: ${snapshot.holdings.length} holdings as of ${snapshot.date}`);
    } catch (error) {
      failures.push({ fund, error: (error as Error).message });
      deps.progress(`${fund}: failed: ${(error as Error).message}`);
    }
  }
  return { snapshots, failures };
}

function diffAll(fetched: Fetched, config: ArkConfig, deps: ArkRunDeps): FundDiff[] {
  const diffs: FundDiff[] = [];
  for (const [fund, { snapshot }] of fetched.snapshots) {
    try {
      diffs.push(diffFund(deps.baseline.read(fund), snapshot, config.thresholds));
    } catch (error) {
      fetched.failures.push({ fund, error: `baseline: ${(error as Error).message}` });
    }
  }
  return diffs;
}

function writeReports(
  report: ArkReport,
  markdown: string,
  json: string,
  config: ArkConfig,
  deps: ArkRunDeps,
): string[] {
  const date =
    report.funds
      .map((f) => f.date)
      .sort()
      .at(-1) ?? report.generatedAt.slice(0, 10);
  const paths = [
    join(config.reportDir, `ark-holdings-${date}.md`),
    join(config.reportDir, `ark-holdings-${date}.json`),
  ];
  deps.writeReport(paths[0]!, markdown);
  deps.writeReport(paths[1]!, json);
  deps.progress(`reports written: ${paths.join(', ')}`);
  return paths;
}

async function finish(
  fetched: Fetched,
  result: ArkRunResult,
  config: ArkConfig,
  deps: ArkRunDeps,
): Promise<void> {
  if (config.email.enabled) {
    const smtp = config.email.smtp!;
    deps.progress(`sending the report to ${config.email.recipients.length} recipient(s)`);
    const date =
      result.report.funds
        .map((f) => f.date)
        .sort()
        .at(-1) ?? result.report.generatedAt.slice(0, 10);
    const mail = {
      from: smtp.from,
      recipients: config.email.recipients,
      subject: config.email.subject,
      markdown: result.markdown,
      json: result.json,
      date,
    };
    await sendReport(mail, deps.transport(), smtp.password);
  }
  deps.baseline.write(new Map([...fetched.snapshots].map(([fund, s]) => [fund, s.text])));
  result.baselineUpdated = true;
  deps.progress(`baseline updated in ${config.baselineDir}`);
}

export async function runArkHoldings(config: ArkConfig, deps: ArkRunDeps): Promise<ArkRunResult> {
  const fetched = await fetchAll(config, deps);
  const funds = diffAll(fetched, config, deps);
  const report: ArkReport = {
    generatedAt: deps.now().toISOString(),
    thresholds: config.thresholds,
    funds,
    summary: summariseByTicker(funds),
    failures: fetched.failures,
  };
  const result: ArkRunResult = {
    report,
    markdown: renderMarkdown(report),
    json: renderJson(report),
    reportPaths: [],
    baselineUpdated: false,
  };
  deps.output(result.markdown);
  if (config.dryRun) {
    deps.progress('dry run: no report file, no e-mail, baseline unchanged');
  } else {
    result.reportPaths = writeReports(report, result.markdown, result.json, config, deps);
  }
  if (fetched.failures.length > 0) {
    const list = fetched.failures.map((f) => f.fund).join(', ');
    throw new ArkError(
      `${fetched.failures.length} fund(s) failed (${list}); baseline not updated, no e-mail sent`,
    );
  }
  if (!config.dryRun) await finish(fetched, result, config, deps);
  return result;
}
