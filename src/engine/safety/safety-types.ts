/** The shapes the safety parts audit and notify with (profile, time and environment are stamped). */
import type { AuditAction } from '../../contract/audit-actions.js';
import type { AuditEventInput } from '../../core/audit.js';
import type { Notification } from '../../ports/notifier.js';

export type AuditInput = Omit<
  AuditEventInput,
  'profileId' | 'at' | 'action' | 'subjectType' | 'subjectId'
> & {
  action: AuditAction;
  subjectType?: string | null;
  subjectId?: string | null;
};
export type NotificationInput = Omit<Notification, 'profileId' | 'environment'>;
