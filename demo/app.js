import { createClient } from 'tracebeam';

const client = createClient({ sink: '/api/log', service: 'demo-web', release: 'demo', environment: 'local', debug: true });
client.setUser({ id: 'demo-user' });

const show = (text) => {
  document.querySelector('#trace').textContent = client.traceId();
  document.querySelector('#out').insertAdjacentHTML('afterbegin', `<li>${text}</li>`);
};

document.querySelector('#log').addEventListener('click', () => {
  client.log('info', 'checkout_started', { cart_items: 3 });
  show('logged checkout_started');
});
document.querySelector('#capture').addEventListener('click', () => {
  try {
    JSON.parse('{ not json');
  } catch (error) {
    client.captureError(error, { component: 'Cart' });
    show(`captured ${error.name}`);
  }
});
document.querySelector('#flush').addEventListener('click', async () => {
  await client.flush();
  show('flushed');
});
show('page loaded');
