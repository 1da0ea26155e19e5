// The command line's exit code, as OfflineIMAP's: 0 all went well; 1 an error happened (a
// folder, an account, the command line or the configuration); 2 no other error, but at least
// one folder was skipped because its UIDVALIDITY changed. Reads only error codes, never text.

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_UIDVALIDITY = 2;

export function exitCodeOf(errors: Array<{ code: string }>): number {
  if (errors.some((e) => e.code !== 'uidvalidity-changed')) return EXIT_ERROR;
  return errors.length ? EXIT_UIDVALIDITY : EXIT_OK;
}
