/**
 * Globs compile to LIKE: `*` → `%`, `?` → `_`, and LIKE's own metacharacters (`%`, `_`, `\`) escaped with a
 * backslash, which is the default LIKE escape character in both ClickHouse and Postgres.
 */
export function globToLike(glob: string): string {
  let out = '';
  for (const ch of glob) {
    if (ch === '*') out += '%';
    else if (ch === '?') out += '_';
    else if (ch === '%' || ch === '_' || ch === '\\') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}
