/** The Notifier port: tells a person that something needs attention. Failures never block trading. */
export type NotificationKind =
  | 'kill_switch_started'
  | 'kill_switch_finished'
  | 'loss_limit_halted'
  | 'order_rejected'
  | 'ambiguous_submit'
  | 'stream_down';

export interface Notification {
  kind: NotificationKind;
  profileId: string;
  environment: 'paper' | 'live';
  title: string;
  message: string;
  data: Readonly<Record<string, unknown>>;
}

export interface Notifier {
  notify(notification: Notification): Promise<void>;
}
