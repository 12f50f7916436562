/**
 * Review units in the conversation header: the reviewer picks their length (1 hour, 6 hours, a day,
 * 7 days, or any whole number of hours) and the conversation's slices follow, each with its coding
 * status; a slice opens at its first message and "Select" selects its messages to code together.
 */
import { useState } from 'react';
import type { ReviewSliceDTO } from '../../../src/api/dto.ts';
import { api } from '../../lib/api.ts';
import { toApiError, useApi } from '../../lib/hooks.ts';
import type { ApiError } from '../../../src/api/client.ts';
import { compactDateTime, count, dateOnly, dayKey, plural, timeOnly } from '../../lib/format.ts';

const LENGTHS = [
  { value: '1', label: '1 hour' },
  { value: '6', label: '6 hours' },
  { value: '24', label: '1 day' },
  { value: '168', label: '7 days' },
  { value: 'custom', label: 'Custom…' },
];
const MAX_HOURS = 8784;

function sliceLabel(s: ReviewSliceDTO, tz: string): string {
  const last = new Date(Date.parse(s.to) - 1).toISOString();
  const when = s.hours === 24 ? dayKey(s.from, tz) : s.hours % 24 === 0 ? `${dateOnly(s.from, tz)} – ${dateOnly(last, tz)}` : `${compactDateTime(s.from, tz)}–${timeOnly(s.to, tz)}`;
  const status = s.status === 'coded' ? 'coded' : s.status === 'partial' ? `${count(s.coded)} coded` : 'not coded';
  return `${when}${s.parts > 1 ? ` (part ${s.part} of ${s.parts})` : ''} · ${plural(s.events, 'event')} · ${status}`;
}

export function ReviewUnitPicker(p: { conversationId: number; tz: string; onOpen(firstAt: string): void; onSelect(ids: number[]): void; onError(err: ApiError): void }) {
  const [length, setLength] = useState('24');
  const [custom, setCustom] = useState('12');
  const hours = length === 'custom' ? Number(custom) : Number(length);
  const valid = Number.isInteger(hours) && hours >= 1 && hours <= MAX_HOURS;
  const slices = useApi('conversations.slices', valid ? { conversationId: p.conversationId, hours } : null, ['tags', 'conversations', 'imported', 'retention']);
  const [picked, setPicked] = useState('');
  const day = hours === 24;
  const noun = day ? 'day' : 'unit';
  const list = valid ? (slices.data ?? []) : [];
  // A day is named by its review unit key (CONVERSATION:YYYY-MM-DD:PART), as productions and the API name it.
  const keyOf = (s: ReviewSliceDTO) => (s.hours === 24 ? `${s.conversationId}:${dayKey(s.from, p.tz)}:${s.part}` : `${s.hours}|${s.from}|${s.part}`);
  const current = list.find((s) => keyOf(s) === picked);

  const select = async () => {
    if (!current) return;
    try {
      p.onSelect(await api.call('conversations.sliceIds', { conversationId: p.conversationId, from: current.from, to: current.to, part: current.part }));
    } catch (err) {
      p.onError(toApiError(err));
    }
  };

  return (
    <span className="row" role="group" aria-label="Review units" style={{ gap: 4 }}>
      <select aria-label="Review unit length" value={length} onChange={(e) => (setLength(e.target.value), setPicked(''))} title="How long a review unit is, in the display time zone">
        {LENGTHS.map((l) => (
          <option key={l.value} value={l.value}>
            {l.label}
          </option>
        ))}
      </select>
      {length === 'custom' && (
        <input type="number" aria-label="Unit length in hours" min={1} max={MAX_HOURS} step={1} value={custom} onChange={(e) => (setCustom(e.target.value), setPicked(''))} style={{ width: 70 }} aria-invalid={!valid} title={`Whole hours, 1–${MAX_HOURS}`} />
      )}
      <select
        aria-label={`Review unit (${day ? 'day' : `${hours} h`})`}
        value={picked}
        disabled={list.length === 0}
        onChange={(e) => {
          setPicked(e.target.value);
          const s = list.find((x) => keyOf(x) === e.target.value);
          if (s) p.onOpen(s.firstAt);
        }}
        title={day ? '24-hour review units in the display time zone' : `${hours}-hour review units in the display time zone`}
      >
        <option value="">
          {day ? 'Days' : 'Units'} ({count(list.length)})…
        </option>
        {list.map((s) => (
          <option key={keyOf(s)} value={keyOf(s)}>
            {sliceLabel(s, p.tz)}
          </option>
        ))}
      </select>
      <button type="button" className="small" disabled={!current} onClick={() => void select()} title={`Select every message of this ${noun}, to code them together`}>
        Select {noun}
      </button>
    </span>
  );
}
