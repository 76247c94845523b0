export * from './api-client';
export * from './errors';
export * from './text';
