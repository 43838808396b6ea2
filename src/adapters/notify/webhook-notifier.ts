/**
 * Notifications as a JSON POST to a webhook (ntfy, Slack incoming webhooks and similar accept
 * it). A failure to notify is logged and swallowed: it never blocks or fails trading.
 */
import type { Notification, Notifier } from '../../ports/notifier.js';

export interface WebhookNotifierOptions {
  url: string;
  timeoutMs?: number;
  fetchFn?: typeof fetch;
  onError?: (error: Error, notification: Notification) => void;
}

export class WebhookNotifier implements Notifier {
  readonly #opts: Required<Omit<WebhookNotifierOptions, 'onError'>> & Pick<WebhookNotifierOptions, 'onError'>;

  constructor(options: WebhookNotifierOptions) {
    this.#opts = { timeoutMs: 5_000, fetchFn: fetch, ...options };
  }

  async notify(notification: Notification): Promise<void> {
    const body = {
      kind: notification.kind,
      profile: notification.profileId,
      environment: notification.environment,
      title: `[${notification.environment.toUpperCase()}] ${notification.title}`,
      message: notification.message,
      // Slack-compatible field: incoming webhooks display `text`.
      text: `[${notification.environment.toUpperCase()}] ${notification.title}: ${notification.message}`,
      data: notification.data,
    };
    try {
      const response = await this.#opts.fetchFn(this.#opts.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.#opts.timeoutMs),
      });
      if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
    } catch (error) {
      this.#opts.onError?.(error instanceof Error ? error : new Error(String(error)), notification);
    }
  }
}

/** A notifier that drops everything (no webhook configured). */
export const silentNotifier: Notifier = { notify: async () => undefined };
