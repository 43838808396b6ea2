/**
 * A modal confirmation built on the native <dialog> (focus moves in, Escape closes, the page
 * behind is inert). The confirm button stays disabled until `canConfirm`.
 */
import { type ReactNode, useEffect, useRef } from 'react';

interface Props {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  canConfirm: boolean;
  busy?: boolean;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId: string;
  /** The label of the way back; null for a dialog that must be answered (the token prompt). */
  cancelLabel?: string | null;
}

export function Dialog(props: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (props.open && !d.open) d.showModal();
    if (!props.open && d.open) d.close();
  }, [props.open]);
  return (
    <dialog
      ref={ref}
      className={props.danger ? 'dialog danger' : 'dialog'}
      aria-labelledby={`${props.testId}-title`}
      data-testid={props.testId}
      onCancel={(e) => {
        e.preventDefault();
        props.onCancel();
      }}
    >
      {props.open ? (
        <form
          method="dialog"
          onSubmit={(e) => {
            e.preventDefault();
            if (props.canConfirm && !props.busy) props.onConfirm();
          }}
        >
          <h2 id={`${props.testId}-title`}>{props.title}</h2>
          <div className="dialog-body">{props.children}</div>
          <div className="dialog-actions">
            {props.cancelLabel === null ? null : (
              <button type="button" className="btn" onClick={props.onCancel}>
                {props.cancelLabel ?? 'Back'}
              </button>
            )}
            <button
              type="submit"
              className={props.danger ? 'btn btn-danger' : 'btn btn-primary'}
              disabled={!props.canConfirm || props.busy}
            >
              {props.busy ? 'Sending…' : props.confirmLabel}
            </button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
