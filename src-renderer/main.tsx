import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';

const container = document.getElementById('root');
if (!container) throw new Error('The page has no #root element to render Asclepia into.');

createRoot(container).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
