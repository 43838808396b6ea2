import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../ports/notifier.js';
import { silentNotifier, WebhookNotifier } from './webhook-notifier.js';

const note: Notification = {
  kind: 'kill_switch_finished',
  profileId: 'default',
  environment: 'paper',
  title: 'Kill switch finished',
  message: 'account flat',
  data: { closed: 3 },
};

describe('WebhookNotifier', () => {
  it('POSTs the notification as JSON to the webhook', async () => {
    const received: unknown[] = [];
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ method: req.method, type: req.headers['content-type'], body: JSON.parse(body) });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await new WebhookNotifier({ url: `http://127.0.0.1:${port}/hook` }).notify(note);
    server.close();
    expect(received).toEqual([
      {
        method: 'POST',
        type: 'application/json',
        body: expect.objectContaining({
          kind: 'kill_switch_finished',
          profile: 'default',
          environment: 'paper',
          title: '[PAPER] Kill switch finished',
          data: { closed: 3 },
        }),
      },
    ]);
  });

  it('reports a failing webhook without throwing', async () => {
    const errors: string[] = [];
    const failing = (async () => new Response('nope', { status: 500 })) as typeof fetch;
    await new WebhookNotifier({
      url: 'http://127.0.0.1:1/x',
      fetchFn: failing,
      onError: (e) => errors.push(e.message),
    }).notify(note);
    const refused = new WebhookNotifier({ url: 'http://127.0.0.1:1/x', onError: (e) => errors.push(e.name) });
    await expect(refused.notify(note)).resolves.toBeUndefined();
    expect(errors[0]).toBe('webhook answered HTTP 500');
    expect(errors).toHaveLength(2);
    await expect(silentNotifier.notify(note)).resolves.toBeUndefined();
  });
});
