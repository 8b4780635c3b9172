/**
 * The built-in price table: USD per million input and output tokens, the one source of truth for
 * DEFAULT_PRICES (a TS module, so it ships in dist/ with no copy step). It has the shape of a price file
 * (`loadPriceTable`): `"<model id or prefix*>": {inputPerMTok, outputPerMTok}`, keys starting with `_`
 * are notes. Where a provider charges more past a context size (Gemini 1.5 past 128k tokens, Gemini 2.5
 * Pro and Claude Sonnet 4/4.5 past 200k), the base tier is listed. Cached-input, batch and audio prices are
 * not modelled. Override or extend entries with a price file (`--prices FILE` / MLRUN_PRICES_FILE).
 */
export const PRICE_DATA: Readonly<Record<string, unknown>> = Object.freeze({
  _source:
    "Providers' public price pages (openai.com/api/pricing, anthropic.com/pricing, ai.google.dev/pricing, mistral.ai/pricing, groq.com/pricing, together.ai/pricing), list prices for standard (non-batch) use",
  _as_of: '2026-11',
  _checked:
    'Written 2025-11; in 2026-11 the OpenAI, Anthropic and Gemini entries were compared with several independently kept public price tables (they agree), and gpt-5.1, gpt-5.2, gpt-5.2-pro, claude-opus-4-6/4-7 and claude-sonnet-4-6 were added',

  // OpenAI (dated snapshots such as gpt-4o-2024-08-06 resolve to their base id; a snapshot priced
  // differently from its base is listed on its own)
  'gpt-5.2': { inputPerMTok: 1.75, outputPerMTok: 14 },
  'gpt-5.2-pro': { inputPerMTok: 21, outputPerMTok: 168 },
  'gpt-5.1': { inputPerMTok: 1.25, outputPerMTok: 10 },
  'gpt-5': { inputPerMTok: 1.25, outputPerMTok: 10 },
  'gpt-5-mini': { inputPerMTok: 0.25, outputPerMTok: 2 },
  'gpt-5-nano': { inputPerMTok: 0.05, outputPerMTok: 0.4 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4o-2024-05-13': { inputPerMTok: 5, outputPerMTok: 15 },
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4-turbo': { inputPerMTok: 10, outputPerMTok: 30 },
  'gpt-4': { inputPerMTok: 30, outputPerMTok: 60 },
  'gpt-3.5-turbo': { inputPerMTok: 0.5, outputPerMTok: 1.5 },
  o1: { inputPerMTok: 15, outputPerMTok: 60 },
  o3: { inputPerMTok: 2, outputPerMTok: 8 },
  'o3-mini': { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  'o4-mini': { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  'text-embedding-3-small': { inputPerMTok: 0.02, outputPerMTok: 0 },
  'text-embedding-3-large': { inputPerMTok: 0.13, outputPerMTok: 0 },
  'text-embedding-ada-002': { inputPerMTok: 0.1, outputPerMTok: 0 },

  // Anthropic (dated ids such as claude-3-5-sonnet-20241022 resolve to these)
  'claude-opus-4-7': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-opus-4-6': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-opus-4-5': { inputPerMTok: 5, outputPerMTok: 25 },
  'claude-opus-4-1': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-opus-4': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-opus-4-0': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-sonnet-4-6': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-sonnet-4-5': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-sonnet-4': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-sonnet-4-0': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-haiku-4-5': { inputPerMTok: 1, outputPerMTok: 5 },
  'claude-3-7-sonnet': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-3-5-sonnet': { inputPerMTok: 3, outputPerMTok: 15 },
  'claude-3-5-haiku': { inputPerMTok: 0.8, outputPerMTok: 4 },
  'claude-3-opus': { inputPerMTok: 15, outputPerMTok: 75 },
  'claude-3-haiku': { inputPerMTok: 0.25, outputPerMTok: 1.25 },

  // Google Gemini API (base tier)
  'gemini-2.5-pro': { inputPerMTok: 1.25, outputPerMTok: 10 },
  'gemini-2.5-flash': { inputPerMTok: 0.3, outputPerMTok: 2.5 },
  'gemini-2.5-flash-lite': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'gemini-2.0-flash': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'gemini-2.0-flash-lite': { inputPerMTok: 0.075, outputPerMTok: 0.3 },
  'gemini-1.5-pro': { inputPerMTok: 1.25, outputPerMTok: 5 },
  'gemini-1.5-flash': { inputPerMTok: 0.075, outputPerMTok: 0.3 },
  'gemini-1.5-flash-8b': { inputPerMTok: 0.0375, outputPerMTok: 0.15 },

  // Mistral (la Plateforme). Ids ending in "-latest" resolve to the unversioned entries; versioned ids are
  // listed one by one, because older versions (mistral-small-2409, mistral-medium-2312) cost more.
  'mistral-large': { inputPerMTok: 2, outputPerMTok: 6 },
  'mistral-large-2411': { inputPerMTok: 2, outputPerMTok: 6 },
  'mistral-medium': { inputPerMTok: 0.4, outputPerMTok: 2 },
  'mistral-medium-2505': { inputPerMTok: 0.4, outputPerMTok: 2 },
  'mistral-small': { inputPerMTok: 0.1, outputPerMTok: 0.3 },
  'mistral-small-2503': { inputPerMTok: 0.1, outputPerMTok: 0.3 },
  codestral: { inputPerMTok: 0.3, outputPerMTok: 0.9 },
  'codestral-2501': { inputPerMTok: 0.3, outputPerMTok: 0.9 },

  // Llama on common hosts (ids are host-specific: Groq, then Together)
  'llama-3.3-70b-versatile': { inputPerMTok: 0.59, outputPerMTok: 0.79 },
  'llama-3.1-8b-instant': { inputPerMTok: 0.05, outputPerMTok: 0.08 },
  'llama-3.3-70b-instruct-turbo': { inputPerMTok: 0.88, outputPerMTok: 0.88 },
  'meta-llama-3.1-8b-instruct-turbo': { inputPerMTok: 0.18, outputPerMTok: 0.18 },
  'meta-llama-3.1-70b-instruct-turbo': { inputPerMTok: 0.88, outputPerMTok: 0.88 },
  'meta-llama-3.1-405b-instruct-turbo': { inputPerMTok: 3.5, outputPerMTok: 3.5 },
});
