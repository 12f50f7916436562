/** The app's screens, in sidebar order. Adding a screen is one entry here. */
import type { ReactNode } from 'react';
import type { CaseStateDTO } from '../../src/api/dto.ts';
import type { MethodName } from '../../src/api/methods/index.ts';
import type { Route } from '../lib/router.ts';
import { SearchScreen } from '../features/search/SearchScreen.tsx';
import { ConversationsScreen } from '../features/conversations/ConversationsScreen.tsx';
import { ConversationScreen } from '../features/conversation/ConversationScreen.tsx';
import { ImportWizard } from '../features/import/ImportWizard.tsx';
import { Dashboard } from '../features/dashboard/Dashboard.tsx';
import { HoldsScreen } from '../features/holds/HoldsScreen.tsx';
import { RetentionScreen } from '../features/retention/RetentionScreen.tsx';
import { IdentitiesScreen } from '../features/identities/IdentitiesScreen.tsx';
import { AuditScreen } from '../features/audit/AuditScreen.tsx';
import { ProductionsScreen } from '../features/productions/ProductionsScreen.tsx';
import { CaseScreen } from '../features/settings/CaseScreen.tsx';
import { CodingLayoutScreen } from '../features/coding/CodingLayoutScreen.tsx';
import { TermReportScreen } from '../features/terms/TermReportScreen.tsx';
import { SourcesScreen } from '../features/sources/SourcesScreen.tsx';
import { GapsScreen } from '../features/gaps/GapsScreen.tsx';
import { EntitiesScreen } from '../features/entities/EntitiesScreen.tsx';
import { AlertsScreen } from '../features/surveillance/AlertsScreen.tsx';
import { BatchesScreen } from '../features/batches/BatchesScreen.tsx';
import { BatchView } from '../features/batches/BatchView.tsx';

export interface ScreenEnv {
  canPickPaths: boolean;
  state: CaseStateDTO;
}

export interface Screen {
  id: string;
  title: string;
  icon: string;
  nav: boolean;
  section?: string;
  /** On a matter, shown only when the account's role may call this method. */
  needs?: MethodName;
  render(route: Route, env: ScreenEnv): ReactNode;
}

export const SCREENS: Screen[] = [
  { id: 'search', title: 'Search', icon: '⌕', nav: true, section: 'Review', render: (r) => <SearchScreen route={r} /> },
  { id: 'terms', title: 'Term report', icon: '≡', nav: true, render: () => <TermReportScreen /> },
  {
    id: 'batches',
    title: 'Batches',
    icon: '▥',
    nav: true,
    render: (r) => {
      const id = Number(r.params[0]);
      return Number.isSafeInteger(id) && id > 0 ? <BatchView key={id} batchId={id} /> : <BatchesScreen />;
    },
  },
  { id: 'conversations', title: 'Conversations', icon: '☰', nav: true, render: () => <ConversationsScreen /> },
  {
    id: 'conversation',
    title: 'Conversation',
    icon: '',
    nav: false,
    render: (r) => {
      const id = Number(r.params[0]);
      const m = Number(r.query.get('m'));
      return <ConversationScreen key={id} conversationId={id} messageId={Number.isSafeInteger(m) && m > 0 ? m : null} query={r.query.get('q') ?? ''} />;
    },
  },
  { id: 'dashboard', title: 'Dashboard', icon: '▦', nav: true, render: () => <Dashboard /> },
  { id: 'identities', title: 'Identities', icon: '☺', nav: true, render: () => <IdentitiesScreen /> },
  { id: 'coding', title: 'Coding layout', icon: '▤', nav: true, needs: 'fields.create', render: () => <CodingLayoutScreen /> },
  { id: 'alerts', title: 'Surveillance', icon: '⚑', nav: true, render: () => <AlertsScreen /> },
  { id: 'entities', title: 'Entities', icon: '@', nav: true, render: () => <EntitiesScreen /> },
  { id: 'gaps', title: 'Gaps', icon: '⋯', nav: true, render: (_r, env) => <GapsScreen canPickPaths={env.canPickPaths} /> },
  { id: 'holds', title: 'Legal holds', icon: '⚓', nav: true, section: 'Preserve', render: () => <HoldsScreen /> },
  { id: 'retention', title: 'Retention', icon: '⌛', nav: true, render: () => <RetentionScreen /> },
  { id: 'sources', title: 'Sources', icon: '#', nav: true, render: () => <SourcesScreen /> },
  { id: 'audit', title: 'Audit log', icon: '✓', nav: true, render: () => <AuditScreen /> },
  { id: 'productions', title: 'Productions', icon: '⎙', nav: true, section: 'Produce', render: (_r, env) => <ProductionsScreen canPickPaths={env.canPickPaths} /> },
  { id: 'import', title: 'Import', icon: '⇪', nav: true, section: 'Case', needs: 'imports.start', render: (_r, env) => <ImportWizard canPickPaths={env.canPickPaths} /> },
  { id: 'case', title: 'Case & passphrase', icon: '⚙', nav: true, needs: 'cases.rekey', render: (_r, env) => <CaseScreen state={env.state} /> },
];
