export * as getSendProgress from './getSendProgress.operation';
export * as getSendResult from './getSendResult.operation';
export * as recall from './recall.operation';
export * as send from './send.operation';
