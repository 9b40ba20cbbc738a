// tracebeam/otel first: zone.js patches Promise, timers and listeners before the page's code runs.
import { otelTracing } from 'tracebeam/otel';
import { createClient } from 'tracebeam';

const otel = otelTracing();
const client = createClient({ sink: '/api/log', service: 'otel-peers', integrations: [otel] });

otel.tracer.startActiveSpan('checkout', (span) => {
  fetch('/api/cart').then(() => {
    client.log('info', 'cart_loaded');
    span.end();
    // Once the fetch span has ended too (after this task), everything goes to the sink.
    setTimeout(() => void client.flush().then(() => document.body.setAttribute('data-flushed', '')), 100);
  });
});
