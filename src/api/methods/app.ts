import { z } from 'zod';
import { method } from '../contract.ts';
import type { AppInfoDTO } from '../dto.ts';
import { noArgs } from './common.ts';

export const appMethods = {
  'app.info': method<AppInfoDTO>()(noArgs),
};

export const dialogMethods = {
  /** Native open/save dialog; only where the host has one (the desktop app). `null` when dismissed. */
  'dialog.pickPath': method<{ path: string | null }>()(
    z.strictObject({
      mode: z.enum(['open-file', 'open-folder', 'save-file']),
      title: z.string().max(200).optional(),
      defaultPath: z.string().max(4096).optional(),
      filters: z.array(z.strictObject({ name: z.string().max(100), extensions: z.array(z.string().regex(/^[A-Za-z0-9*]{1,16}$/)).max(20) })).max(10).optional(),
    }),
  ),
};
