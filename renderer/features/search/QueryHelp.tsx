/** The query language at a glance (the same language as `holdfast search`). */
const ROWS: [string, string][] = [
  ['price deal', 'both words (in any order)'],
  ['"call me tomorrow"', 'the exact phrase'],
  ['contract*', 'words starting with contract'],
  ['price OR cost', 'either word'],
  ['-draft   NOT draft', 'without the word'],
  ['(price OR cost) deal', 'grouping'],
  ['from:"Dana Smith"', 'sent by (name or handle)'],
  ['in:"Project X"', 'in conversations with that name'],
  ['custodian:Dana', "from that custodian's sources"],
  ['tag:Hot   -tag:Hot', 'tagged (or not)'],
  ['has:attachment', 'with an attachment'],
  ['is:edited   is:deleted', 'edited or deleted by the sender'],
  ['after:2024-01-01 before:2024-02-01', 'dates in the case time zone (after inclusive, before exclusive)'],
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
