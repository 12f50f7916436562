/** The search box's text plus the filter fields, as one query in the query language. */
export interface Filters {
  custodian: string;
  conversation: string;
  tag: string;
  after: string;
  before: string;
}

export const NO_FILTERS: Filters = { custodian: '', conversation: '', tag: '', after: '', before: '' };

const clean = (v: string) => v.replace(/"/g, '').trim();

export function composeQuery(text: string, f: Filters): string {
  const parts: string[] = [];
  const t = text.trim();
  if (t) parts.push(/\s(OR)\s/.test(t) ? `(${t})` : t);
  if (clean(f.custodian)) parts.push(`custodian:"${clean(f.custodian)}"`);
  if (clean(f.conversation)) parts.push(`in:"${clean(f.conversation)}"`);
  if (clean(f.tag)) parts.push(`tag:"${clean(f.tag)}"`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(f.after)) parts.push(`after:${f.after}`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(f.before)) parts.push(`before:${f.before}`);
  return parts.join(' ');
}
