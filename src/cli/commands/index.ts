/** The command table. Each command lives in its own module; the contract is ../shared/CLI.md. */
import type { CliContext } from '../io.ts';
import { createCommand } from './create.ts';
import { infoCommand } from './info.ts';
import { formatsCommand } from './formats.ts';
import { importCommand } from './import.ts';
import { messagesCommand } from './messages.ts';
import { verifyCommand } from './verify.ts';
import { auditCommand } from './audit.ts';
import { rekeyCommand } from './rekey.ts';
import { serveCommand } from './serve.ts';

export interface Command {
  name: string;
  usage: string;
  summary: string;
  /** Returns the exit status (0 success, 1 failure). */
  run(args: string[], ctx: CliContext): Promise<number>;
}

export const COMMANDS: readonly Command[] = [
  createCommand,
  infoCommand,
  formatsCommand,
  importCommand,
  messagesCommand,
  verifyCommand,
  auditCommand,
  rekeyCommand,
  serveCommand,
];
