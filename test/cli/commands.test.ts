import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { COMMANDS } from '../../src/cli/commands/index.ts';
import { ROOT, cli, tempDir } from '../helpers/case.ts';

test('each command of the table loads as itself, once, and docs/CLI.md describes it', async () => {
  const names = COMMANDS.map((c) => c.name);
  assert.equal(new Set(names).size, names.length, 'no name twice');
  const docs = fs.readFileSync(path.join(ROOT, 'docs/CLI.md'), 'utf8');
  for (const entry of COMMANDS) {
    const command = await entry.load();
    assert.equal(command.name, entry.name);
    assert.ok(command.usage.startsWith(`${entry.name} `) || command.usage === entry.name, `${entry.name}: usage starts with the name`);
    assert.match(docs, new RegExp(`\`${entry.name}[ \`]|holdfast ${entry.name}[ \`]`), `docs/CLI.md describes ${entry.name}`);
  }
});

test('holdfast --help lists every command with its summary; COMMAND --help its usage; an unknown command is a usage error', async () => {
  const all = cli(['--help']);
  assert.equal(all.status, 0);
  for (const entry of COMMANDS) {
    const command = await entry.load();
    assert.match(all.stdout, new RegExp(`^  ${command.name} +${command.summary.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'));
  }
  const one = cli(['search', '--help']);
  assert.equal(one.status, 0);
  assert.match(one.stdout, /^usage: holdfast search /);
  const unknown = cli(['serach', 'x.hfcase']);
  assert.equal(unknown.status, 2);
  assert.match(unknown.stderr, /^holdfast: unknown command "serach"\nusage: holdfast <command>/);
});

test('who acts: HOLDFAST_EXAMINER creates the case (its examiner) and acts in each command; without it, the case\'s examiner', () => {
  const file = path.join(tempDir(), 'who.hfcase');
  assert.equal(cli(['create', file], { HOLDFAST_EXAMINER: 'Ann Examiner' }).status, 0);
  assert.equal(cli(['timezone', file, 'Europe/London'], { HOLDFAST_EXAMINER: 'Bob Reviewer' }).status, 0);
  assert.equal(cli(['timezone', file, 'Europe/Paris'], { HOLDFAST_EXAMINER: '' }).status, 0);
  const audit = JSON.parse(cli(['audit', file, '--json']).stdout) as { actor: string; action: string }[];
  assert.deepEqual(audit.filter((e) => e.action !== 'case.signing-key').map((e) => [e.action, e.actor]), [
    ['case.create', 'Ann Examiner'],
    ['case.display-tz', 'Bob Reviewer'],
    ['case.display-tz', 'Ann Examiner'],
  ]);
});
