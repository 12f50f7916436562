/**
 * The closed set of error codes that cross every boundary (CLI, IPC, loopback and matter server).
 * Messages tell the user what to do; `details` carries the file and position when there is one.
 */
export const ERROR_CODES = [
  'BAD_PASSPHRASE',
  'NOT_A_CASE',
  'CASE_FROM_NEWER_VERSION',
  'CASE_BUSY',
  'CASE_NOT_OPEN',
  'CASE_READ_ONLY',
  'DISK_FULL',
  'IMPORT_UNSUPPORTED_SOURCE',
  'IMPORT_SOURCE_CORRUPT',
  'IMPORT_NEEDS_PASSWORD',
  'HOLD_VIOLATION',
  'NOT_FOUND',
  'VALIDATION',
  'CANCELLED',
  'INTERNAL',
  'VERIFY_FAILED',
  'WEAK_PASSPHRASE',
  'PRODUCTION_BATES_OVERLAP',
  'PRODUCTION_EMPTY',
  // A search step that reads messages (a /regular expression/) ran past its time limit.
  'SEARCH_TIMEOUT',
  // The matter server: no valid session (never signed in, signed out, expired, wrong password, locked out) ...
  'UNAUTHENTICATED',
  // ... and a signed-in account whose role does not allow the method.
  'FORBIDDEN',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetails {
  /** The file the error is about, as the user gave it. */
  file?: string;
  /** Where inside it: "line 12", "entry media/a.jpg", "row 5 of table message", "byte 1024". */
  position?: string;
  [key: string]: unknown;
}

export interface ErrorDTO {
  code: ErrorCode;
  message: string;
  details?: ErrorDetails;
}

export class HoldfastError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'HoldfastError';
    this.code = code;
    this.details = details;
  }

  toDTO(): ErrorDTO {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** Any thrown value as a DTO; unknown failures become INTERNAL without leaking stack traces. */
export function toErrorDTO(err: unknown): ErrorDTO {
  if (err instanceof HoldfastError) return err.toDTO();
  if (err && typeof err === 'object' && 'code' in err && isErrorCode((err as { code: unknown }).code)) {
    const e = err as { code: ErrorCode; message?: unknown; details?: ErrorDetails };
    return { code: e.code, message: String(e.message ?? e.code), ...(e.details ? { details: e.details } : {}) };
  }
  const message = err instanceof Error ? err.message : String(err);
  // A hold trigger in the schema refused a change some path made without the application's check.
  if (message.startsWith('HOLD_VIOLATION: ')) return { code: 'HOLD_VIOLATION', message: message.slice('HOLD_VIOLATION: '.length) };
  return { code: 'INTERNAL', message };
}
