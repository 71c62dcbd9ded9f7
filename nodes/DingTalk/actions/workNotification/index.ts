import type { ResourceModule } from '../../../shared/actions/types';
import * as operations from './operations';

export const workNotification: ResourceModule = {
	resource: {
		name: 'Work Notification',
		value: 'workNotification',
		description: 'Work notifications (工作通知) sent by an app to members of the organisation',
	},
	operations,
};
