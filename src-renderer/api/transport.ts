import type { Envelope } from '../../src-shared/errors.js';

/** What the Electron preload exposes on window.asclepia, and nothing more. */
export interface PreloadApi {
  invoke(name: string, input: unknown): Promise<Envelope<unknown>>;
  onTablesChanged(listener: (tables: string[]) => void): () => void;
}

declare global {
  interface Window {
    asclepia?: PreloadApi;
  }
}

export interface Transport {
  invoke(name: string, input: unknown): Promise<Envelope<unknown>>;
  /** Starts listening; the browser host's stream needs a session, so it is (re)opened after sign-in. */
  subscribeTables(listener: (tables: string[]) => void): () => void;
}

const browserTransport: Transport = {
  async invoke(name, input) {
    let response: Response;
    try {
      response = await fetch(`/api/${encodeURIComponent(name)}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(input ?? {}),
        credentials: 'same-origin',
      });
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: 'Asclepia’s server is not answering. Check that it is still running, then try again.' } };
    }
    try {
      return (await response.json()) as Envelope<unknown>;
    } catch {
      return { ok: false, error: { code: 'INTERNAL', message: `Asclepia’s server sent an unreadable answer (HTTP ${response.status}).` } };
    }
  },
  subscribeTables(listener) {
    const source = new EventSource('/api/events');
    source.addEventListener('tables', (event) => listener(JSON.parse((event as MessageEvent<string>).data) as string[]));
    return () => source.close();
  },
};

function electronTransport(api: PreloadApi): Transport {
  return { invoke: (name, input) => api.invoke(name, input ?? {}), subscribeTables: (listener) => api.onTablesChanged(listener) };
}

export const transport: Transport = typeof window !== 'undefined' && window.asclepia ? electronTransport(window.asclepia) : browserTransport;
