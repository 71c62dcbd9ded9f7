import type { ResourceModule } from '../../../shared/actions/types';
import * as operations from './operations';

export const approval: ResourceModule = {
	resource: {
		name: 'Approval',
		value: 'approval',
		description: 'Approvals (审批, OA): submit from a template, read and list them',
	},
	operations,
};
