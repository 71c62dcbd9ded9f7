import type { ResourceModule } from '../../../shared/actions/types';
import * as call from './call.operation';

export const customApiCall: ResourceModule = {
	resource: {
		name: 'Custom API Call',
		value: 'customApiCall',
		description: 'Any DingTalk API endpoint, old (oapi) or new (v1.0), with the managed token',
	},
	operations: { call },
};
