/** Every importer, in the order `detect` is tried. Each lives in its own folder with a README. */
import type { Importer } from './types.ts';
import { HoldfastError } from '../api/errors.ts';
import { refuseDamagedZip } from './zip/zip.ts';
import { whatsappTxt } from './whatsapp/importer.ts';
import { whatsappAndroidDb } from './whatsapp-android/importer.ts';
import { whatsappIosDb } from './whatsapp-ios/importer.ts';
import { iosBackup } from './ios-backup/importer.ts';
import { smsBackupRestore } from './sms-backup-restore/importer.ts';
import { telegramJson } from './telegram/importer.ts';
import { slackExport } from './slack/importer.ts';
import { emailImporter } from './email/importer.ts';
import { rsmfImporter } from './rsmf/importer.ts';
import { imessageDb } from './imessage/importer.ts';
import { androidMmsSmsDb } from './android-sms/importer.ts';
import { signalAndroidBackup } from './signal-backup/importer.ts';
import { metaMessages } from './meta/importer.ts';
import { discordExport } from './discord/importer.ts';
import { googleChatTakeout } from './google-chat/importer.ts';
import { pstImporter } from './pst/importer.ts';

export const IMPORTERS: readonly Importer[] = [
  whatsappTxt,
  whatsappAndroidDb,
  whatsappIosDb,
  iosBackup,
  smsBackupRestore,
  telegramJson,
  slackExport,
  emailImporter,
  rsmfImporter,
  imessageDb,
  androidMmsSmsDb,
  signalAndroidBackup,
  metaMessages,
  discordExport,
  googleChatTakeout,
  pstImporter,
];

export function importerById(id: string): Importer {
  const found = IMPORTERS.find((i) => i.id === id);
  if (!found) {
    throw new HoldfastError('VALIDATION', `Unknown format "${id}". Known formats: ${IMPORTERS.map((i) => i.id).join(', ')}.`);
  }
  return found;
}

/** The importer most confident about `path`; IMPORT_UNSUPPORTED_SOURCE when none recognises it. */
export async function detectImporter(path: string): Promise<{ importer: Importer; confidence: number; variant?: string }> {
  let best: { importer: Importer; confidence: number; variant?: string } | undefined;
  for (const importer of IMPORTERS) {
    const d = await importer.detect(path).catch(() => ({ confidence: 0 }));
    if (d.confidence > (best?.confidence ?? 0)) best = { importer, confidence: d.confidence, ...('variant' in d && d.variant ? { variant: d.variant } : {}) };
  }
  if (!best || best.confidence < 0.3) {
    await refuseDamagedZip(path);
    throw new HoldfastError(
      'IMPORT_UNSUPPORTED_SOURCE',
      `${path} is not a format Holdfast recognises. Run "holdfast formats" for the list, or name one with --format.`,
      { file: path },
    );
  }
  return best;
}
