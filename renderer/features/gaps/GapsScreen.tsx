/**
 * Deletion gaps: messages one custodian's copy lacks, holes in sources' own ids, silences outside a
 * conversation's rhythm (with the statistic), deleted messages close together, and each
 * custodian's coverage of the matter range.
 * Every finding about messages links to them in their conversation and can tag them (with those
 * around them); the findings go to counsel as a report with their evidence.
 */
import { useState } from 'react';
import { useApi } from '../../lib/hooks.ts';
import { count, dateOnly, dateTime, plural, useTimeZone } from '../../lib/format.ts';
import { href } from '../../lib/router.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import type { MessageRefDTO } from '../../../src/api/analysis-dto.ts';
import { ReportExport, TagButton, useTagging } from './FindingTools.tsx';

/** A link that opens a message in its conversation (plain text when there is none). */
function MessageLink({ m, children }: { m: MessageRefDTO | null; children: string }) {
  return m ? <a href={href('conversation', [m.conversationId], { m: m.messageId })}>{children}</a> : <>{children}</>;
}

const dayStart = (d: string) => (d ? `${d}T00:00:00Z` : undefined);
const dayEnd = (d: string) => (d ? `${d}T23:59:59.999Z` : undefined);

export function GapsScreen({ canPickPaths }: { canPickPaths: boolean }) {
  const tz = useTimeZone();
  const { tagging, bar } = useTagging();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const args = { ...(dayStart(from) ? { from: dayStart(from)! } : {}), ...(dayEnd(to) ? { to: dayEnd(to)! } : {}) };
  const report = useApi('analysis.gaps', args, ['imported', 'conversations', 'retention']);
  const r = report.data;
  return (
    <div className="page">
      <div className="page-head">
        <h1>Gaps</h1>
        <span className="spacer" />
        <label className="small">
          Matter from <input type="date" aria-label="Matter from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="small">
          to <input type="date" aria-label="Matter to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <ErrorNotice error={report.error} />
      {r && (
        <>
          {bar}
          <section className="card" aria-label="Missing from a custodian's copy" style={{ marginBottom: 12 }}>
            <h2>Missing from a custodian's copy ({count(r.crossCustodian.length)})</h2>
            {r.crossCustodian.length === 0 ? (
              <p className="muted">No conversation held by two custodians lacks messages in one copy.</p>
            ) : (
              <table className="plain">
                <thead>
                  <tr>
                    <th scope="col">Conversation</th>
                    <th scope="col">Missing from</th>
                    <th scope="col">Held by</th>
                    <th scope="col">Messages</th>
                    <th scope="col">Period</th>
                    <th scope="col"><span className="sr-only">Tag</span></th>
                  </tr>
                </thead>
                <tbody>
                  {r.crossCustodian.map((g) => (
                    <tr key={`${g.conversationId}-${g.missingFrom}-${g.messageIds[0]}`}>
                      <td>
                        <a href={href('conversation', [g.conversationId], { m: g.messageIds[0] })}>{g.conversation}</a>
                      </td>
                      <td>{g.missingFrom}</td>
                      <td>{g.presentIn.join(', ')}</td>
                      <td className="nowrap">{plural(g.count, 'message')}</td>
                      <td className="small nowrap">
                        {dateTime(g.first, tz)} – {dateTime(g.last, tz)}
                      </td>
                      <td>
                        <TagButton tagging={tagging} finding={{ finding: `${g.count} missing from ${g.missingFrom}'s copy of ${g.conversation}`, conversationId: g.conversationId, messageIds: g.messageIds }} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="card" aria-label="Holes in source ids" style={{ marginBottom: 12 }}>
            <h2>Holes in source ids ({count(r.sequence.length)})</h2>
            {r.sequence.length === 0 ? (
              <p className="muted">No source's own ids skip.</p>
            ) : (
              <table className="plain">
                <thead>
                  <tr>
                    <th scope="col">Source</th>
                    <th scope="col">Ids</th>
                    <th scope="col">Missing</th>
                    <th scope="col">Messages either side</th>
                  </tr>
                </thead>
                <tbody>
                  {r.sequence.map((g) => (
                    <tr key={`${g.sourceId}-${g.field}-${g.after}`}>
                      <td>
                        {g.sourceId} · {g.field}
                      </td>
                      <td className="mono">
                        after {g.after}, before {g.before}
                      </td>
                      <td>{count(g.missing)}</td>
                      <td className="nowrap">
                        <MessageLink m={g.messageBeforeHole}>{`id ${g.after}`}</MessageLink> · <MessageLink m={g.messageAfterHole}>{`id ${g.before}`}</MessageLink>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="card" aria-label="Silences" style={{ marginBottom: 12 }}>
            <h2>Silences ({count(r.silences.length)})</h2>
            {r.silences.length === 0 ? (
              <p className="muted">No conversation falls silent far outside its usual rhythm.</p>
            ) : (
              <table className="plain">
                <thead>
                  <tr>
                    <th scope="col">Conversation</th>
                    <th scope="col">Silent</th>
                    <th scope="col">Days</th>
                    <th scope="col">Why it stands out</th>
                    <th scope="col"><span className="sr-only">Tag</span></th>
                  </tr>
                </thead>
                <tbody>
                  {r.silences.map((s) => (
                    <tr key={`${s.conversationId}-${s.from}`}>
                      <td>
                        <a href={href('conversation', [s.conversationId], { m: s.beforeMessageId })}>{s.conversation}</a>
                      </td>
                      <td className="small nowrap">
                        {dateTime(s.from, tz)} – {dateTime(s.to, tz)}
                      </td>
                      <td>{s.days}</td>
                      <td className="small">{s.statistic}</td>
                      <td>
                        <TagButton tagging={tagging} finding={{ finding: `silence of ${s.days} days in ${s.conversation}`, conversationId: s.conversationId, messageIds: [s.beforeMessageId, s.afterMessageId] }} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section className="card" aria-label="Deleted messages" style={{ marginBottom: 12 }}>
            <h2>Deleted messages close together ({count(r.deletions.length)})</h2>
            {r.deletions.length === 0 ? (
              <p className="muted">No conversation has deletions close together.</p>
            ) : (
              <table className="plain">
                <thead>
                  <tr>
                    <th scope="col">Conversation</th>
                    <th scope="col">Deleted</th>
                    <th scope="col">Period</th>
                    <th scope="col">In the copies of</th>
                    <th scope="col">Rule</th>
                    <th scope="col"><span className="sr-only">Tag</span></th>
                  </tr>
                </thead>
                <tbody>
                  {r.deletions.map((d) => (
                    <tr key={`${d.conversationId}-${d.messageIds[0]}`}>
                      <td>
                        <a href={href('conversation', [d.conversationId], { m: d.messageIds[0] })}>{d.conversation}</a>
                      </td>
                      <td className="nowrap">{plural(d.count, 'message')}</td>
                      <td className="small nowrap">
                        {dateTime(d.first, tz)} – {dateTime(d.last, tz)}
                      </td>
                      <td>{d.custodians.join(', ')}</td>
                      <td className="small">{d.rule}</td>
                      <td>
                        <TagButton tagging={tagging} finding={{ finding: `${d.count} deletions in ${d.conversation}`, conversationId: d.conversationId, messageIds: d.messageIds }} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <ReportExport canPickPaths={canPickPaths} range={args} />
          <section className="card" aria-label="Coverage">
            <h2>Coverage of the matter range</h2>
            {r.coverage.map((c) => (
              <div key={c.custodian} style={{ marginBottom: 10 }}>
                <strong>{c.custodian}</strong>{' '}
                <span className="muted small">
                  matter {dateOnly(c.matterFrom, tz)} – {dateOnly(c.matterTo, tz)}
                </span>
                <ul className="small">
                  {c.sources.map((s) => (
                    <li key={s.sourceId}>
                      {s.name} ({s.format}): {plural(s.messages, 'message')}, <MessageLink m={s.firstMessage}>{dateTime(s.from, tz)}</MessageLink> –{' '}
                      <MessageLink m={s.lastMessage}>{dateTime(s.to, tz)}</MessageLink>
                    </li>
                  ))}
                  {c.uncovered.map((u) => (
                    <li key={u.from}>
                      <span className="badge warn">not covered</span>{' '}
                      {dateTime(u.from, tz)} – {dateTime(u.to, tz)} ({u.days} days)
                      {u.messageBefore && <> · <MessageLink m={u.messageBefore}>last message before</MessageLink></>}
                      {u.messageAfter && <> · <MessageLink m={u.messageAfter}>first message after</MessageLink></>}
                    </li>
                  ))}
                </ul>
              </div>
            ))}
          </section>
        </>
      )}
    </div>
  );
}
