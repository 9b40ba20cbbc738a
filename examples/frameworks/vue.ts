// Vue 3: report the errors Vue catches (render, setup, lifecycle hooks, watchers, event handlers).
//   app.config.errorHandler = vueErrorHandler(client);
import type { Client } from 'tracebeam';

/** The part of a Vue component instance read here: its name, declared or taken from its file by <script setup>. */
export interface VueComponentLike {
  $options?: { name?: string; __name?: string };
}

export function vueErrorHandler(client: Client) {
  return (error: unknown, instance: VueComponentLike | null, info: string): void => {
    client.captureError(error, {
      mechanism: 'vue.errorHandler',
      component: instance?.$options?.name ?? instance?.$options?.__name,
      // Where Vue met it: 'render function', 'setup function'... (a short code in production builds).
      vue_info: info,
    });
    // Once an errorHandler is set, Vue no longer logs the error itself.
    console.error(error);
  };
}
