export * as recall from './recall.operation';
export * as send from './send.operation';
