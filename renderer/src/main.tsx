// The interface's entry: picks the bridge (the desktop preload, else browser mode's WebSocket
// with the page's session token) and renders the app; a browser page without a token is told
// how to open Satchel instead. Nothing below knows which bridge it has.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickBridge } from './bridge/pick-bridge.js';
import { App } from './app.js';
import './styles.css';

// A new #token=/#code= typed into an open page does not reload it: reload to take it.
window.addEventListener('hashchange', () => { if (/^#(token|code)=/.test(location.hash)) location.reload(); });

const root = createRoot(document.getElementById('root')!);
void pickBridge().then((picked) => root.render(
  <StrictMode>
    {picked
      ? <App bridge={picked.bridge} desktop={picked.desktop} onConnection={picked.onConnection} />
      : <main className="signed-out"><h1>Satchel</h1><p>Open the address that <code>satchel ui</code> printed in its terminal (or start it again): this page has no session.</p></main>}
  </StrictMode>,
));
