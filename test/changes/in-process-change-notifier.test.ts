import { describe } from 'vitest';
import { InProcessChangeNotifier } from '../../src/adapters/changes/in-process-change-notifier.js';
import { changeNotifierContract } from './change-notifier-contract.js';

describe('in-process change channel', () => {
  changeNotifierContract(
    async () => {
      const notifier = new InProcessChangeNotifier();
      return { announcer: notifier, listener: notifier, close: () => notifier.close() };
    },
    async () => {},
  );
});
