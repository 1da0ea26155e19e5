// The interface's entry: picks the bridge (the desktop preload, else browser mode's WebSocket)
// and renders the app. Nothing here or below knows which bridge it has.

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { pickBridge } from './bridge/pick-bridge.js';
import { App } from './app.js';
import './styles.css';

const { bridge, desktop, onConnection } = pickBridge();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App bridge={bridge} desktop={desktop} onConnection={onConnection} />
  </StrictMode>,
);
