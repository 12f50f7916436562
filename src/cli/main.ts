/**
 * `holdfast COMMAND CASE ...` — the same engine as the app, headless. Exit 0 on success; 1 with one
 * line `holdfast: CODE: message` on stderr; 2 for a usage error.
 */
import { toErrorDTO } from '../api/errors.ts';
import { COMMANDS } from './commands/index.ts';
import { UsageError } from './io.ts';
import type { CliContext } from './io.ts';

async function help(): Promise<string> {
  const commands = await Promise.all(COMMANDS.map((c) => c.load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'usage: holdfast <command> CASE [options]',
    '',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'The passphrase comes from HOLDFAST_PASSPHRASE or a prompt, never from the command line.',
    'Run "holdfast <command> --help" for its options.',
  ].join('\n');
}

export async function main(ctx: CliContext): Promise<number> {
  const [name, ...rest] = ctx.argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    ctx.stdout.write(`${await help()}\n`);
    return name ? 0 : 2;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  if (!entry) {
    ctx.stderr.write(`holdfast: unknown command "${name}"\n${await help()}\n`);
    return 2;
  }
  const command = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.stdout.write(`usage: holdfast ${command.usage}\n${command.summary}\n`);
    return 0;
  }
  try {
    return await command.run(rest, ctx);
  } catch (err) {
    if (err instanceof UsageError || (err instanceof TypeError && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
      ctx.stderr.write(`holdfast: ${err.message}\nusage: holdfast ${command.usage}\n`);
      return 2;
    }
    const dto = toErrorDTO(err);
    ctx.stderr.write(`holdfast: ${dto.code}: ${dto.message.replace(/\s*\n\s*/g, ' ')}\n`);
    if (ctx.env.HOLDFAST_DEBUG && err instanceof Error) ctx.stderr.write(`${err.stack}\n`);
    return 1;
  }
}
