// The main operation first: it is the default of the Operation dropdown.
export * as getMany from './getMany.operation';
export * as get from './get.operation';
export * as getIds from './getIds.operation';
export * as getByMobile from './getByMobile.operation';
export * as getByEmail from './getByEmail.operation';
