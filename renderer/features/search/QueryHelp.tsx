/** The query language at a glance (the same language as `holdfast search`). */
const ROWS: [string, string][] = [
  ['price deal', 'both words (in any order)'],
  ['"call me tomorrow"', 'the exact phrase'],
  ['contract*', 'words starting with contract'],
  ['price OR cost', 'either word'],
  ['-draft   NOT draft', 'without the word'],
  ['(price OR cost) deal', 'grouping'],
  ['price w/5 fix*', 'within 5 words, either order (w/1: next to each other)'],
  ['wire pre/3 money', 'wire first, money at most 3 words later'],
  ['bonus not w/3 cash', 'bonus, but not within 3 words of cash'],
  ['(bonus OR incentive) w/10 (cash OR envelope)', 'words, prefixes, phrases and OR-groups on either side'],
  ['kickbak~   kickbak~2', 'fuzzy: 1 typo (2 for longer words), or up to N; the terms found are listed'],
  ['stem:run   stem.fr:courir', 'any form with the same stem (run, runs, running); exact is the default'],
  ['/\\b\\d{8,12}\\b/   /wire.*usd/i', 'a regular expression on the text (safe engine; add words to make it faster; a long one shows its progress and can be cancelled)'],
  ['from:"Dana Smith"', 'sent by (name or handle)'],
  ['in:"Project X"   conversation:12', 'in conversations with that name (or id)'],
  ['platform:slack', 'on that platform'],
  ['subject:invoice   attachment:contract.pdf', 'in the email subject, in an attachment name'],
  ['to:"Jane Doe"   cc:jane@example.com', 'an email\'s own recipients (To, Cc)'],
  ['custodian:Dana', "from that custodian's sources"],
  ['tag:Hot   -tag:Hot', 'tagged (or not)'],
  ['has:attachment   has:reaction', 'with an attachment, with a reaction'],
  ['is:edited   is:deleted', 'edited or deleted by the sender'],
  ['is:withheld   reviewed:no', 'tagged privileged (withheld from productions); not yet coded nor marked reviewed'],
  ['after:2024-01-01 before:2024-02-01', 'dates in the case time zone (after inclusive, before exclusive)'],
  ['on:2024-03-01', 'on that day'],
];

export function QueryHelp() {
  return (
    <details className="help">
      <summary>Query language</summary>
      <table>
        <tbody>
          {ROWS.map(([q, what]) => (
            <tr key={q}>
              <td>
                <code>{q}</code>
              </td>
              <td className="muted">{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted" style={{ marginTop: 6 }}>
        Case and accents are ignored (<code>zurich</code> finds Zürich); Chinese, Japanese and Korean words are found inside longer text. Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous, <kbd>Enter</kbd> open,{' '}
        <kbd>x</kbd> select, <kbd>1</kbd>–<kbd>9</kbd> tag.
      </p>
    </details>
  );
}
