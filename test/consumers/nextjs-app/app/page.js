'use client';
// The page as the README's quick start has it: init() with the sink route, then an error.
import { useEffect } from 'react';
import { init } from 'tracebeam';

export default function Home() {
  useEffect(() => {
    const client = init({ sink: '/api/log', service: 'next-page' });
    // For the test: to flush and to read the page's trace id.
    Object.assign(window, { client });
    setTimeout(() => {
      throw new Error('checkout failed');
    });
  }, []);
  return <h1 id="ready">Shop</h1>;
}
