/**
 * Test page: the coding panel against the real core (served by the loopback server with an open
 * case): the message named in ?m= is read with messages.get and re-read when its tags change.
 */
import { useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type { MessageDTO } from '../../../src/api/dto.ts';
import { api } from '../../../renderer/lib/api.ts';
import { CodingPanel } from '../../../renderer/features/coding/CodingPanel.tsx';
import '../../../renderer/styles.css';

const params = new URLSearchParams(location.search);
const ids = (params.get('m') ?? '').split(',').filter(Boolean).map(Number);
const bulk = params.get('bulk');

function Page() {
  const [messages, setMessages] = useState<MessageDTO[]>([]);
  useEffect(() => {
    const load = () => void api.call('messages.get', { ids }).then(setMessages);
    load();
    return api.on('case.changed', (e) => e.what === 'tags' && load());
  }, []);
  return (
    <div style={{ width: 340, padding: 14 }} className="side">
      <CodingPanel messageIds={ids} current={ids.length === 1 ? messages[0] : undefined} bulk={bulk ? { query: bulk, total: 3 } : undefined} />
      <output id="tags">{messages.map((m) => `${m.id}:${m.tags.join('|')}`).join(' ')}</output>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(<Page />);
