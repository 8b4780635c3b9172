/**
 * The CLI's only writes to the terminal outside the logger: help and version on stdout (so they can be
 * piped), banners and one-line errors on stderr. `src/` has no `console.*`; everything goes through here.
 */

function line(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

export function printOut(text: string): void {
  process.stdout.write(line(text));
}

export function printErr(text: string): void {
  process.stderr.write(line(text));
}
