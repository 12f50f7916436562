/** The application version recorded in cases and custody records. */
export const APP_VERSION = '0.1.0';
