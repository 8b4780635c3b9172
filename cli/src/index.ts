export { ConfigError, loadConfig } from './config.js';
export type { ClickHouseConfig, Config, EmbeddedClickHouseConfig, Env, LoadConfigInput, LogLevel, ServerClickHouseConfig } from './config.js';
export { main } from './main.js';
export type { Secret } from './secret.js';
export { settings } from './settings.js';
export type { Setting, SettingKey } from './settings.js';
