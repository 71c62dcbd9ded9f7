// The main operation first: it is the default of the Operation dropdown.
export * as send from './send.operation';
export * as getSendResult from './getSendResult.operation';
export * as getSendProgress from './getSendProgress.operation';
export * as recall from './recall.operation';
