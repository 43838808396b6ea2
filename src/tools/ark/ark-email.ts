/**
 * Sends the report by e-mail through nodemailer. The transport is injected: production builds an
 * SMTP transport from the EMAIL_* settings; tests pass nodemailer's JSON or stream transport, so
 * no mail server is ever contacted. The SMTP password never appears in an error.
 */
import nodemailer from 'nodemailer';
import type { SmtpSettings } from './ark-config.js';
import { ArkError } from './ark-errors.js';

export interface MailTransport {
  sendMail(message: {
    from: string;
    to: string[];
    subject: string;
    text: string;
    attachments: { filename: string; content: string; contentType: string }[];
  }): Promise<unknown>;
}

export function smtpTransport(smtp: SmtpSettings): MailTransport {
  return nodemailer.createTransport({
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    ...(smtp.user ? { auth: { user: smtp.user, pass: smtp.password ?? '' } } : {}),
  });
}

export interface ReportMail {
  from: string;
  recipients: readonly string[];
  subject: string;
  markdown: string;
  json: string;
  date: string;
}

export async function sendReport(
  mail: ReportMail,
  transport: MailTransport,
  password: string | null,
): Promise<void> {
  try {
    await transport.sendMail({
      from: mail.from,
      to: [...mail.recipients],
      subject: `${mail.subject} — ${mail.date}`,
      text: mail.markdown,
      attachments: [
        { filename: `ark-holdings-${mail.date}.json`, content: mail.json, contentType: 'application/json' },
      ],
    });
  } catch (error) {
    let reason = (error as Error).message;
    if (password) reason = reason.split(password).join('***');
    throw new ArkError(`e-mail to ${mail.recipients.join(', ')} failed: ${reason}`);
  }
}
