/// <reference types="vite/client" />
// The README's React set-up: one client next to createRoot, a provider and a boundary.
import { createRoot } from 'react-dom/client';
import { createClient, errors } from 'tracebeam';
import { ErrorBoundary, TelemetryProvider } from 'tracebeam/react';
import { Cart } from './Cart';

const client = createClient({ sink: import.meta.env.VITE_SINK, service: 'vite-shop', integrations: [errors()] });
// For the test: to flush once the fallback shows.
Object.assign(window, { client });

function Shop() {
  return (
    <section>
      <h1>Cart</h1>
      <Cart />
    </section>
  );
}

createRoot(document.getElementById('root')!).render(
  <TelemetryProvider client={client}>
    <ErrorBoundary fallback={<p id="fallback">Something went wrong</p>}>
      <Shop />
    </ErrorBoundary>
  </TelemetryProvider>,
);
