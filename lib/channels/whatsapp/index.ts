export * from './split-payload';
export * from './verification';
export * from './webhook';
export * from './webhook-queue';
