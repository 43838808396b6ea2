/**
 * Asks for the API token when the API answers 401. The token is kept in sessionStorage (this
 * browser tab's session only) and sent as `Authorization: Bearer`.
 */
import { useState } from 'react';
import { setToken } from '../api/client';
import { Dialog } from './Dialog';

export function TokenPrompt({ open, onDone }: { open: boolean; onDone: () => void }) {
  const [value, setValue] = useState('');
  return (
    <Dialog
      open={open}
      title="API token required"
      confirmLabel="Use token"
      canConfirm={value.trim().length > 0}
      onConfirm={() => {
        setToken(value.trim());
        setValue('');
        onDone();
      }}
      onCancel={() => {}}
      testId="token-dialog"
      cancelLabel={null}
    >
      <p>This Centaur API needs its bearer token (API_TOKEN). It is kept for this browser session only.</p>
      <label className="field">
        <span>API token</span>
        <input
          name="apiToken"
          type="password"
          autoComplete="off"
          value={value}
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
    </Dialog>
  );
}
