import { HoldfastError } from '../../api/errors.ts';
import { caseInfo } from '../../case/info.ts';
import { rekeyOpenCase, rekeyMigrationBackups, dataOf } from '../../case/data/index.ts';
import { assertStrongPassphrase } from '../../case/passphrase-policy.ts';
import { appendAudit } from '../../case/audit.ts';
import { setDisplayTimeZone } from '../../review/time-zone.ts';
import type { NamespaceHandlers } from '../dispatch.ts';

export const casesHandlers: NamespaceHandlers<'cases'> = {
  'cases.create': (ctx, a) =>
    ctx.create(a.path, a.passphrase, {
      ...(a.matter ? { name: a.matter } : {}),
      ...(a.examiner ? { examiner: a.examiner } : {}),
      ...(a.displayTz ? { displayTz: a.displayTz } : {}),
    }),
  'cases.open': (ctx, a) => ctx.open(a.path, a.passphrase),
  // Connected to a matter server, closing the case is signing out of it.
  'cases.close': async (ctx) => (ctx.remote ? (await ctx.disconnect(), ctx.state()) : ctx.close()),
  'cases.current': (ctx) => ctx.state(),
  'cases.info': (ctx) => caseInfo(dataOf(ctx.session())),
  'cases.rekey': (ctx, a) => {
    const s = ctx.session();
    if (!ctx.checkPassphrase(a.passphrase)) throw new HoldfastError('BAD_PASSPHRASE', 'The current passphrase is not the one this case was opened with.');
    if (ctx.jobs.running().length > 0) throw new HoldfastError('CASE_BUSY', 'A job is running on this case. Change the passphrase when it has finished.');
    assertStrongPassphrase(a.newPassphrase);
    dataOf(s).write.transaction.run(() => appendAudit(dataOf(s), s.actor, 'case.rekey', {}));
    rekeyOpenCase(s, a.newPassphrase);
    rekeyMigrationBackups(s.path, a.passphrase, a.newPassphrase);
    ctx.passphraseChanged(a.newPassphrase);
    ctx.changed('rekeyed');
    return { ok: true as const };
  },
  'cases.setDisplayTz': (ctx, a) => {
    setDisplayTimeZone(ctx.session(), a);
    ctx.changed('settings');
    return ctx.state();
  },
  'cases.recent': (ctx) => ctx.recent.list(),
  'cases.forget': (ctx, a) => {
    ctx.recent.forget(a.path);
    return ctx.recent.list();
  },
};
