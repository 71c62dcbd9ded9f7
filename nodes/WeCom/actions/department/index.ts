import type { ResourceModule } from '../../../shared/actions/types';
import * as operations from './operations';

export const department: ResourceModule = {
	resource: {
		name: 'Department',
		value: 'department',
		description: 'Departments (部门) of the company contacts (通讯录)',
	},
	operations,
};
