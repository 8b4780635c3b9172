/**
 * Command-line flags of `mlrun serve`, parsed with node:util `parseArgs` in non-strict mode so that every
 * problem (unknown flag, missing value, stray argument) is collected instead of thrown one at a time.
 */
import { parseArgs } from 'node:util';
import { settings, type Setting, type SettingKey } from './settings.js';

export interface ParsedArgs {
  /** Raw flag values by setting; the last occurrence of a repeated flag wins. */
  readonly values: Partial<Record<SettingKey, string>>;
  readonly help: boolean;
  readonly problems: readonly string[];
}

type FlagSetting = Setting & { readonly flag: string };

const flagged: readonly FlagSetting[] = settings.filter((s): s is FlagSetting => s.flag !== undefined);

const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
for (const s of flagged) options[s.flag] = { type: 'string' };

export function parseServeArgs(argv: readonly string[]): ParsedArgs {
  const values: Partial<Record<SettingKey, string>> = {};
  const problems: string[] = [];
  let help = false;
  let pending: readonly string[] = argv;
  while (pending.length > 0) {
    const args = pending;
    pending = [];
    const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
    for (const token of tokens) {
      if (token.kind === 'positional') {
        problems.push(`unexpected argument '${token.value}'`);
      } else if (token.kind === 'option' && token.name === 'help') {
        help = true;
      } else if (token.kind === 'option') {
        const setting = flagged.find((s) => s.flag === token.name);
        if (setting === undefined) {
          problems.push(`${token.rawName}: unknown flag`);
        } else if (token.value === undefined) {
          problems.push(`${token.rawName}: expected a value`);
        } else if (!token.inlineValue && token.value.startsWith('--')) {
          // `--port --host x`: parseArgs took the next flag as the value; report it and parse on from there.
          problems.push(`${token.rawName}: expected a value`);
          pending = args.slice(token.index + 1);
          break;
        } else {
          values[setting.key] = token.value;
        }
      }
    }
  }
  return { values, help, problems };
}

/** `--help`/`-h` anywhere before `--`, whatever else is wrong with the arguments. */
export function wantsHelp(argv: readonly string[]): boolean {
  return parseServeArgs(argv).help;
}
