// The main operation first: it is the default of the Operation dropdown.
export * as getMembers from './getMembers.operation';
export * as getMany from './getMany.operation';
