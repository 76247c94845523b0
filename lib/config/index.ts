/**
 * The one place that reads environment variables. Each function reads what it needs once, at module load
 * in the handler, and fails fast with the variable's name when a value is missing or invalid.
 * The README's configuration table lists every variable. The loaders are split by the functions they serve.
 */

export * from './ai';
export * from './ai-budget';
export * from './chat-functions';
export { ConfigError } from './environment';
export * from './fx';
export * from './notifications';
export * from './processor-ai';
export * from './receipts';
export * from './voice';
export * from './whatsapp';
