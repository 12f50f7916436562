/**
 * Production benchmarks (issue 10): a PDF of 10k mixed-script messages (target ≤ 4 s), an XLSX of 1M
 * rows (≤ 60 s, ≤ 600 MB peak RSS) and RSMF of 100k messages. Each production runs in its own
 * process so its peak RSS is its own; cases are imported from the seeded WhatsApp corpora of
 * test/bench/corpus.ts (reused from the OS temp folder when another benchmark made them).
 *
 *   node test/bench/production.ts [--only pdf,xlsx,rsmf]     prints a table (and JSON on the last line)
 *   npm run bench                                            calls productionBenchmarks() after the others
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { writeWhatsAppCorpus } from './corpus.ts';
import { label } from './sizes.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const work = path.join(os.tmpdir(), 'holdfast-bench');
const KEY = 'bench-passphrase';

interface Measured {
  format: string;
  messages: number;
  ms: number;
  /** CPU time of the production, all threads (user + system): comparable when other work shares the machine. */
  cpuMs: number;
  files: number;
  pages: number;
  megabytes: number;
  maxRssMb: number;
}

interface Plan {
  name: string;
  format: 'pdf' | 'xlsx' | 'rsmf';
  messages: number;
  target: string;
}

const PLANS: Plan[] = [
  { name: 'pdf', format: 'pdf', messages: 10_000, target: '≤ 4 s' },
  { name: 'xlsx', format: 'xlsx', messages: 1_000_000, target: '≤ 60 s, ≤ 600 MB' },
  { name: 'rsmf', format: 'rsmf', messages: 100_000, target: '' },
];

/** A case holding the seeded corpus of `n` messages, imported once through the real import job. */
async function caseOf(n: number): Promise<string> {
  fs.mkdirSync(work, { recursive: true });
  const corpus = path.join(work, `whatsapp-${label(n).toLowerCase()}.txt`);
  const alt = path.join(work, `whatsapp-${label(n)}.txt`);
  const source = fs.existsSync(alt) ? alt : corpus;
  if (!fs.existsSync(source)) await writeWhatsAppCorpus(source, n);
  const casePath = path.join(work, `production-case-${label(n)}.hfcase`);
  if (!fs.existsSync(casePath)) {
    process.stderr.write(`importing ${label(n)} messages for the production benchmark…\n`);
    execFileSync(process.execPath, [path.join(here, 'child.ts'), 'import', casePath, source], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return casePath;
}

function measure(casePath: string, format: string): Measured {
  const out = path.join(work, `production-out-${format}-${process.pid}`);
  fs.rmSync(out, { recursive: true, force: true });
  try {
    const stdout = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--child', casePath, format, out], {
      encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 16 * 2 ** 20,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Measured;
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
}

export async function productionBenchmarks(only: readonly string[] = PLANS.map((p) => p.name)): Promise<{ rows: { measure: string; holdfast: string; target: string }[]; runs: Measured[] }> {
  const rows: { measure: string; holdfast: string; target: string }[] = [];
  const runs: Measured[] = [];
  for (const plan of PLANS.filter((p) => only.includes(p.name))) {
    const casePath = await caseOf(plan.messages);
    process.stderr.write(`[production] ${plan.format} of ${label(plan.messages)} messages…\n`);
    const m = measure(casePath, plan.format);
    runs.push(m);
    const rate = Math.round(m.messages / (m.ms / 1000)).toLocaleString('en-US');
    rows.push({
      measure: `${plan.format.toUpperCase()} of ${label(m.messages)} messages`,
      holdfast: `${(m.ms / 1000).toFixed(1)} s (${rate} msg/s, CPU ${(m.cpuMs / 1000).toFixed(1)} s), peak ${m.maxRssMb} MB, ${m.files} files${m.pages ? `, ${m.pages} pages` : ''}, ${m.megabytes.toFixed(1)} MB`,
      target: plan.target,
    });
  }
  return { rows, runs };
}

async function child(casePath: string, format: string, out: string): Promise<void> {
  const { openSession } = await import('../../src/app/open-session.ts');
  const { produce } = await import('../../src/production/api.ts');
  const session = openSession(casePath, KEY);
  const t = performance.now();
  const cpu = process.cpuUsage();
  const r = await produce(session, { format: format as Plan['format'], out, name: `bench ${format}` });
  const ms = performance.now() - t;
  const used = process.cpuUsage(cpu);
  session.close();
  const result: Measured = {
    format, messages: r.messages, ms: Math.round(ms), cpuMs: Math.round((used.user + used.system) / 1000), files: r.files.length,
    pages: r.files.reduce((a, f) => a + (f.pages ?? 0), 0), megabytes: r.files.reduce((a, f) => a + f.size, 0) / 2 ** 20,
    maxRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { child: { type: 'boolean' }, only: { type: 'string' } } });
  if (values.child) await child(positionals[0]!, positionals[1]!, positionals[2]!);
  else {
    const { rows, runs } = await productionBenchmarks(values.only ? values.only.split(',') : undefined);
    console.log(`Machine: ${os.cpus().length} × ${os.cpus()[0]?.model}, ${Math.round(os.totalmem() / 2 ** 30)} GB, Node ${process.version}, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
    const w = [Math.max(...rows.map((r) => r.measure.length), 7), Math.max(...rows.map((r) => r.holdfast.length), 8), Math.max(...rows.map((r) => r.target.length), 6)];
    const line = (a: string, b: string, c: string) => `| ${a.padEnd(w[0]!)} | ${b.padEnd(w[1]!)} | ${c.padEnd(w[2]!)} |`;
    console.log(line('Measure', 'Holdfast', 'Target'));
    console.log(`|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`);
    for (const r of rows) console.log(line(r.measure, r.holdfast, r.target));
    console.log(JSON.stringify(runs));
  }
}
