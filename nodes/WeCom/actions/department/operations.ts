// The main operation first: it is the default of the Operation dropdown.
export * as getMany from './getMany.operation';
export * as get from './get.operation';
export * as getSubDepartmentIds from './getSubDepartmentIds.operation';
