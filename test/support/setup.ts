// Global test setup: the network beyond loopback is closed. Any attempt to open a socket to a
// non-loopback address fails the test loudly instead of leaking traffic.
import net from 'node:net';

const LOOPBACK = /^(127\.|::1$|localhost$|::ffff:127\.)/;
const originalConnect = net.Socket.prototype.connect;

type ConnectArgs = Parameters<typeof originalConnect>;

net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: ConnectArgs) {
  const first = args[0] as unknown;
  let host: string | undefined;
  if (typeof first === 'object' && first !== null && !Array.isArray(first)) {
    const opts = first as { host?: string; path?: string };
    if (opts.path === undefined) host = opts.host ?? 'localhost';
  } else if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
    host = typeof args[1] === 'string' ? args[1] : 'localhost';
  }
  if (host !== undefined && !LOOPBACK.test(host)) {
    throw new Error(`test network guard: connection to ${host} refused (only loopback is allowed)`);
  }
  return originalConnect.apply(this, args);
} as typeof originalConnect;
