// The page's own DOM, plain: the cart, the views of the two routes, the error the user sees, and
// one line per story with the trace it belongs to.
import { cart, cartTotal, formatCents } from './cart.js';

const $ = (selector) => document.querySelector(selector);

export function createUi(client, config) {
  const showTrace = () => ($('#current-trace').textContent = client.traceId());

  $('#cart').replaceChildren(
    ...cart.items.map((item) => element('li', {}, `${item.quantity} × ${item.name}, ${formatCents(item.price_cents)}`)),
    element('li', {}, element('strong', {}, `Total ${formatCents(cartTotal(cart))}`)),
  );
  $('#trace-command').textContent = config.trace;
  showTrace();
  // After the SDK's own listener (capture phase) has started the click's trace.
  document.addEventListener('click', showTrace);

  return {
    showTrace,

    /** What a real shop shows when a step fails: a plain message and a reference for support. */
    alert(message, traceId) {
      const box = $('#alert');
      box.textContent = `${message} If you contact us, quote reference ${traceId}.`;
      box.hidden = false;
    },

    /** One line under "What happened": what the story did, and its trace, to open or copy. */
    story(name, { ok, text, traceId }) {
      const copy = element('button', { type: 'button', title: 'copy the trace id' }, 'copy');
      copy.addEventListener('click', (event) => {
        // Copying is not a story: the line's trace stays the one shown.
        event.stopPropagation();
        navigator.clipboard?.writeText(traceId).then(
          () => (copy.textContent = 'copied'),
          () => (copy.textContent = 'select the id to copy it'),
        );
      });
      const line = element(
        'li',
        { class: ok ? 'ok' : 'error', 'data-story': name, 'data-trace-id': traceId },
        element('strong', {}, name),
        ` ${text}`,
        element(
          'span',
          { class: 'trace' },
          'trace ',
          element('code', {}, traceId),
          ' ',
          copy,
          ' ',
          element('a', { href: `${config.viewer}/trace/${traceId}`, target: '_blank', rel: 'noopener' }, 'open in the viewer'),
        ),
      );
      $('#story-log').prepend(line);
      showTrace();
    },

    /** Shows the view of the current route. */
    route(path) {
      const order = /^\/orders\/([\w-]+)$/.exec(path);
      $('#view-shop').hidden = order !== null;
      $('#view-order').hidden = order === null;
      if (order) {
        $('#order-id').textContent = order[1];
        $('#order-status').textContent = 'Loading…';
      }
      $('#alert').hidden = true;
      showTrace();
      return order?.[1];
    },

    orderStatus(text) {
      $('#order-status').textContent = text;
    },
  };
}

function element(tag, attributes, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}
