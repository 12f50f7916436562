/**
 * The words and phrases of a query that should light up in message text: field filters, operators
 * and negated terms left out. Only for display; the core decides what matches.
 */
export function highlightTerms(query: string): string[] {
  const out: string[] = [];
  const re = /(-?)(?:([a-z]+):)?(?:"([^"]*)"|(\S+))/gi;
  for (let m = re.exec(query); m; m = re.exec(query)) {
    const [, neg, field, phrase, word] = m;
    if (neg || field) continue;
    const text = (phrase ?? word ?? '').replace(/[()]/g, '').replace(/\*$/, '');
    if (!text || /^(AND|OR|NOT)$/.test(text)) continue;
    out.push(text);
  }
  return out;
}
