// The main operation first: it is the default of the Operation dropdown.
export * as create from './create.operation';
export * as get from './get.operation';
export * as getMany from './getMany.operation';
export * as getTemplate from './getTemplate.operation';
