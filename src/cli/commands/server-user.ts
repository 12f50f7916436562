import os from 'node:os';
import { parseArgs } from 'node:util';
import type { Command } from './index.ts';
import { passphrase, positional, printJson, UsageError } from '../io.ts';
import { HoldfastError } from '../../api/errors.ts';
import { Accounts } from '../../server/auth/accounts.ts';
import type { AccountDTO, ServerAuditEntry } from '../../server/auth/accounts.ts';

function describe(a: AccountDTO): string {
  const state = [a.disabled ? 'disabled' : '', a.lockedUntil ? `locked until ${a.lockedUntil}` : ''].filter(Boolean).join(', ');
  return `${a.name}  ${a.role}  (since ${a.createdAt})${state ? `  ${state}` : ''}`;
}

function auditLine(e: ServerAuditEntry): string {
  return `${String(e.seq).padStart(6)}  ${e.at}  ${e.actor}  ${e.action}  ${JSON.stringify(e.details)}`;
}

export const serverUserCommand: Command = {
  name: 'server-user',
  usage:
    'server-user add --db URL --name NAME --role ROLE [--json]   (password from HOLDFAST_NEW_PASSWORD or a prompt)\n' +
    '       holdfast server-user list --db URL [--json]\n' +
    '       holdfast server-user disable --db URL --name NAME [--json]\n' +
    '       holdfast server-user role --db URL --name NAME --role ROLE [--json]\n' +
    '       holdfast server-user audit --db URL [--json]\n' +
    '  URL is postgres://USER@HOST:PORT/DATABASE; its password from PGPASSWORD, not the address.\n' +
    '  Roles: admin, project-manager, reviewer, qc-reviewer, producer, read-only.',
  summary: 'The matter server\'s accounts: add, list, disable, change role; the server audit log of those changes.',
  async run(args, ctx) {
    const { values, positionals } = parseArgs({
      args, allowPositionals: true,
      options: { db: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, json: { type: 'boolean' } },
    });
    const action = positional(positionals, 0, 'an action (add, list, disable, role, audit)');
    if (!['add', 'list', 'disable', 'role', 'audit'].includes(action)) throw new UsageError(`unknown server-user action "${action}" (add, list, disable, role, audit)`);
    const { db: database } = values;
    if (!database) throw new UsageError('--db URL is required');
    const name = (): string => {
      if (!values.name) throw new UsageError('--name NAME is required');
      return values.name;
    };
    const role = (): string => {
      if (!values.role) throw new UsageError('--role ROLE is required');
      return values.role;
    };
    // Account changes are audited as the operating-system user who made them.
    const operator = os.userInfo().username;
    let password = '';
    if (action === 'add') {
      role();
      password = await passphrase(ctx, 'HOLDFAST_NEW_PASSWORD', `Password for ${name()}: `);
    }
    const accounts = await Accounts.open(database);
    try {
      switch (action) {
        case 'add': {
          const added = await accounts.add(operator, { name: name(), role: role(), password });
          if (values.json) printJson(ctx, added);
          else ctx.stdout.write(`Added ${added.name} (${added.role}).\n`);
          return 0;
        }
        case 'list': {
          const all = await accounts.list();
          if (values.json) printJson(ctx, all);
          else for (const a of all) ctx.stdout.write(`${describe(a)}\n`);
          return 0;
        }
        case 'disable': {
          const disabled = await accounts.disable(operator, name());
          if (values.json) printJson(ctx, disabled);
          else ctx.stdout.write(`${disabled.name} is disabled; its sessions have ended.\n`);
          return 0;
        }
        case 'role': {
          const changed = await accounts.setRole(operator, name(), role());
          if (values.json) printJson(ctx, changed);
          else ctx.stdout.write(`${changed.name} is now ${changed.role}.\n`);
          return 0;
        }
        default: {
          const log = await accounts.auditLog();
          if (values.json) printJson(ctx, log);
          else for (const e of log.entries) ctx.stdout.write(`${auditLine(e)}\n`);
          const first = log.problems[0];
          if (first) throw new HoldfastError('VERIFY_FAILED', `The server audit log does not verify: entry ${first.id}, ${first.field}: ${first.message}.`);
          return 0;
        }
      }
    } finally {
      await accounts.close();
    }
  },
};
