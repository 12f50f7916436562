/**
 * `message.payload_data`: the NSKeyedArchiver archive behind "balloon" messages (`balloon_bundle_id`):
 * link previews (`com.apple.messages.URLBalloonProvider`, a RichLink with LPLinkMetadata) and iMessage
 * apps (`com.apple.messages.MSMessageExtensionBalloonPlugin:…`, a dictionary with `ldtext`, `an` app
 * name and `userInfo` captions). Only what a reviewer reads is taken: the link, its title and summary,
 * the app's name and captions.
 */
import { isKeyedArchive, isRecord, parseBinaryPlist, unarchiveKeyed } from './plists.ts';
import type { PlistValue } from './plists.ts';

export const URL_BALLOON = 'com.apple.messages.URLBalloonProvider';

const BUILTIN_BALLOONS: Record<string, string> = {
  'com.apple.Handwriting.HandwritingProvider': 'Handwritten message',
  'com.apple.DigitalTouchBalloonProvider': 'Digital Touch message',
};

/** A readable line for a balloon message whose own text is empty; undefined when there is nothing to say. */
export function balloonText(bundleId: string, payload: Uint8Array | null): string | undefined {
  const builtin = BUILTIN_BALLOONS[bundleId];
  if (builtin) return `[${builtin}]`;
  if (!payload || payload.length === 0) return undefined;
  const root = parseBinaryPlist(payload);
  if (!isKeyedArchive(root)) return undefined;
  const value = unarchiveKeyed(root);
  if (!isRecord(value)) return undefined;
  if (bundleId === URL_BALLOON || isRecord(value.richLinkMetadata)) return linkText(value);
  return appText(bundleId, value);
}

function str(v: PlistValue | undefined): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

function linkText(value: Record<string, PlistValue>): string | undefined {
  const meta = isRecord(value.richLinkMetadata) ? (value.richLinkMetadata as Record<string, PlistValue>) : {};
  const url = str(meta.originalURL) ?? str(meta.URL);
  const lines = [url, str(meta.title), str(meta.summary)].filter((l): l is string => l !== undefined);
  return lines.length ? lines.join('\n') : undefined;
}

function appText(bundleId: string, value: Record<string, PlistValue>): string | undefined {
  const info = isRecord(value.userInfo) ? (value.userInfo as Record<string, PlistValue>) : {};
  const app = str(value.an) ?? bundleId.split(':').pop() ?? bundleId;
  const parts = [str(value.ldtext), str(info.caption), str(info.subcaption), str(info['secondary-subcaption']), str(info['tertiary-subcaption'])];
  const body = [...new Set(parts.filter((p): p is string => p !== undefined))].join(' — ');
  return body ? `[${app}] ${body}` : `[${app}]`;
}
