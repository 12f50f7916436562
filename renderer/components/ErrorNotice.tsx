import type { ApiError } from '../../src/api/client.ts';

/** A failed call as the user sees it: what went wrong and what to do (the code for support). */
export function ErrorNotice({ error, onDismiss }: { error: ApiError | null | undefined; onDismiss?: () => void }) {
  if (!error) return null;
  // The file and position, unless the message already names them.
  const where = [error.details?.file, error.details?.position].filter((v): v is string => typeof v === 'string' && !error.message.includes(v)).join(', ');
  return (
    <div className="notice error row" role="alert">
      <span className="grow">
        <span className="code">{error.code}</span>
        {error.message}
        {where && <span className="small"> ({where})</span>}
      </span>
      {onDismiss && (
        <button type="button" className="ghost small" onClick={onDismiss} aria-label="Dismiss error">
          ✕
        </button>
      )}
    </div>
  );
}
