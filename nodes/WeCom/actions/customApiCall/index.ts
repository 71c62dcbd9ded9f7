import type { ResourceModule } from '../../../shared/actions/types';
import * as call from './call.operation';

export const customApiCall: ResourceModule = {
	resource: {
		name: 'Custom API Call',
		value: 'customApiCall',
		description: 'Any WeCom API endpoint with the managed token',
	},
	operations: { call },
};
