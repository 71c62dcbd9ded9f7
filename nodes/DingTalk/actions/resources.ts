import type { ResourceModule } from '../../shared/actions/types';
import { approval } from './approval';
import { customApiCall } from './customApiCall';
import { department } from './department';
import { groupRobot } from './groupRobot';
import { user } from './user';
import { workNotification } from './workNotification';

/** Every resource of the DingTalk node, the main one first; adding one is a folder plus a line here. */
export const resources: ResourceModule[] = [
	workNotification,
	department,
	user,
	groupRobot,
	approval,
	customApiCall,
];
