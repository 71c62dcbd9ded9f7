import type { ResourceModule } from '../../../shared/actions/types';
import * as operations from './operations';

export const user: ResourceModule = {
	resource: {
		name: 'User',
		value: 'user',
		description: 'Members (成员) of the company contacts (通讯录)',
	},
	operations,
};
