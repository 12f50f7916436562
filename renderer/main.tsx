import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.tsx';
import { SignInPage } from './features/matter/SignInPage.tsx';
import './styles.css';

// A matter server serves this bundle at /signin too: there it is the sign-in page.
const signIn = !window.holdfast && location.pathname === '/signin';

createRoot(document.getElementById('root')!).render(<StrictMode>{signIn ? <SignInPage /> : <App />}</StrictMode>);
