import { z } from 'zod';
import { method } from '../contract.ts';
import type { CaseInfoDTO, CaseStateDTO, RecentCaseDTO } from '../dto.ts';
import { filePath, noArgs, passphrase, timeZone } from './common.ts';

export const casesMethods = {
  'cases.create': method<CaseStateDTO>()(
    z.strictObject({
      path: filePath,
      passphrase,
      matter: z.string().min(1).max(200).optional(),
      examiner: z.string().min(1).max(200).optional(),
      displayTz: timeZone.optional(),
    }),
  ),
  'cases.open': method<CaseStateDTO>()(z.strictObject({ path: filePath, passphrase })),
  'cases.close': method<CaseStateDTO>()(noArgs),
  'cases.current': method<CaseStateDTO>()(noArgs),
  'cases.info': method<CaseInfoDTO>()(noArgs),
  /** Change the passphrase of the open case; the current one is asked again. */
  'cases.rekey': method<{ ok: true }>()(z.strictObject({ passphrase, newPassphrase: passphrase })),
  /** The zone review days, date filters and displayed times use; audited. */
  'cases.setDisplayTz': method<CaseStateDTO>()(z.strictObject({ tz: timeZone })),
  'cases.recent': method<RecentCaseDTO[]>()(noArgs),
  'cases.forget': method<RecentCaseDTO[]>()(z.strictObject({ path: filePath })),
};
