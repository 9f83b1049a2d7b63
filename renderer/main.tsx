/** The renderer's entry: connect to the studio, then render the app. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createStudioClient } from './api/studio-client';
import { StudioProvider } from './api/studio-context';
import { App } from './app/App';
import './styles.css';

// A file dropped where no drop area takes it would open in the window in place of the studio.
for (const type of ['dragover', 'drop'] as const) window.addEventListener(type, (event) => event.preventDefault());

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <StudioProvider client={createStudioClient()}>
      <App />
    </StudioProvider>
  </StrictMode>,
);
