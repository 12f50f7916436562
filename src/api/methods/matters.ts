import { z } from 'zod';
import { method } from '../contract.ts';
import type { MatterStateDTO, RecentMatterDTO } from '../dto.ts';
import { filePath, noArgs } from './common.ts';

export const mattersMethods = {
  /**
   * Signs in to a matter server and from then on sends this app's calls to the matter (dialogs and
   * the recent lists stay local). `url` is holdfasts://HOST:PORT/MATTER, or https://HOST:PORT with `matter`.
   */
  'matters.connect': method<MatterStateDTO>()(
    z.strictObject({
      url: z.string().min(1).max(2048),
      matter: z.string().regex(/^[a-z0-9_]{1,50}$/, 'is lower-case letters, digits and _ (at most 50)').optional(),
      user: z.string().min(1).max(200),
      password: z.string().min(1).max(1024),
      /** PEM of the CA (or the self-signed certificate) the server's certificate is trusted by. */
      caFile: filePath.optional(),
    }),
  ),
  /** Signs out of the matter server; the app is back at the open screen. */
  'matters.disconnect': method<MatterStateDTO>()(noArgs),
  'matters.current': method<MatterStateDTO>()(noArgs),
  /** Matter servers connected to before: address and account only, never a password. */
  'matters.recent': method<RecentMatterDTO[]>()(noArgs),
};
