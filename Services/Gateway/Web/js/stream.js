// The board's push channel, read with fetch() so the access token travels in the Authorization
// header (EventSource cannot send one, and a token in a URL ends up in logs). Server-Sent Events
// framing; reconnects with backoff; refreshes the token when the server says it expired.
import { accessToken, refresh } from './session.js';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * openStream({path, onEvent(name, data), onState(state)}) — state: 'connecting' | 'live' | 'wait' | 'off'.
 * Returns {stop()}.
 */
export function openStream({ path, onEvent, onState }) {
  let stopped = false;
  let controller = null;
  let attempt = 0;

  async function connectOnce() {
    const token = await accessToken();
    if (!token) return 'signed-out';
    controller = new AbortController();
    let watchdog = null;
    // A ping comes every 15 s: 45 s of silence means the connection is dead without having said so.
    const arm = () => { clearTimeout(watchdog); watchdog = setTimeout(() => controller.abort(), 45000); };
    try {
      const response = await fetch(path, {
        headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, cache: 'no-store', signal: controller.signal,
      });
      if (response.status === 401) {
        await refresh().catch(() => {});
        return 'retry';
      }
      if (!response.ok || !response.body) return 'retry';
      arm();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return 'retry';
        arm();
        buffer += value.replace(/\r\n?/g, '\n');
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let name = 'message';
          const data = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) name = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (!data.length) continue;
          let payload = null;
          try { payload = JSON.parse(data.join('\n')); } catch { payload = data.join('\n'); }
          if (name === 'ready') { attempt = 0; onState('live'); }
          if (name === 'expired') {
            await refresh().catch(() => {});
            return 'now';
          }
          onEvent(name, payload);
        }
      }
    } catch {
      return stopped ? 'stopped' : 'retry';
    } finally {
      clearTimeout(watchdog);
    }
  }

  (async () => {
    while (!stopped) {
      onState('connecting');
      const outcome = await connectOnce();
      if (stopped) break;
      if (outcome === 'signed-out') { onState('off'); return; }
      if (outcome === 'now') continue;
      onState('wait');
      attempt += 1;
      const delay = Math.min(30000, 1000 * 2 ** Math.min(attempt - 1, 5));
      await sleep(delay / 2 + Math.random() * (delay / 2));
    }
  })();

  return {
    stop() {
      stopped = true;
      controller?.abort();
      onState('off');
    },
  };
}
