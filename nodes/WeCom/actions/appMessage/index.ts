import type { ResourceModule } from '../../../shared/actions/types';
import * as operations from './operations';

export const appMessage: ResourceModule = {
	resource: {
		name: 'App Message',
		value: 'appMessage',
		description: 'Messages (应用消息) sent by a self-built app to members',
	},
	operations,
};
