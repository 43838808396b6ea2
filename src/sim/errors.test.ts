import { describe, expect, it } from 'vitest';
import { CODES, codeForStatus, type SimError, simErrors } from './errors.js';

describe('error catalogue', () => {
  it('every code starts with its HTTP status, as Alpaca codes do', () => {
    const samples: SimError[] = [
      simErrors.malformedBody(),
      simErrors.unauthorized(),
      simErrors.invalid('x'),
      simErrors.unprocessable('x'),
      simErrors.forbidden('x'),
      simErrors.orderNotFound(),
      simErrors.positionNotFound(),
      simErrors.rateLimited(),
      simErrors.internal(500),
      simErrors.internal(503),
    ];
    for (const e of samples) {
      const status = e.code === CODES.invalid ? 400 : e.status;
      expect(String(e.code).slice(0, 3)).toBe(String(status));
      expect(String(e.code)).toHaveLength(8);
    }
    expect(codeForStatus(415)).toBe(41510000);
  });

  it('puts context fields before code and message in the body', () => {
    const body = simErrors.forbidden('insufficient buying power', { buying_power: '1' }).body();
    expect(Object.keys(body)).toEqual(['buying_power', 'code', 'message']);
  });
});
