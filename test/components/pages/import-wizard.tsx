/** Test page: the import wizard against the real core (served by the loopback server with an open case). */
import { createRoot } from 'react-dom/client';
import { ImportWizard } from '../../../renderer/features/import/ImportWizard.tsx';
import '../../../renderer/styles.css';

createRoot(document.getElementById('root')!).render(<ImportWizard canPickPaths={false} />);
