import type { ResourceModule } from '../../../shared/actions/types';
import * as operations from './operations';

export const tag: ResourceModule = {
	resource: {
		name: 'Tag',
		value: 'tag',
		description: 'Tags (标签) that group members and departments',
	},
	operations,
};
