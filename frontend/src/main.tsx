import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Provider } from 'urql';
import { App } from './App';
import { createReliefClient } from './client';
import './index.css';

const container = document.getElementById('root');
if (!container) throw new Error('Missing #root element');

const client = createReliefClient();

createRoot(container).render(
  <StrictMode>
    <Provider value={client}>
      <App />
    </Provider>
  </StrictMode>,
);
