import type { ResourceModule } from '../../shared/actions/types';
import { appMessage } from './appMessage';
import { approval } from './approval';
import { customApiCall } from './customApiCall';
import { department } from './department';
import { groupRobot } from './groupRobot';
import { tag } from './tag';
import { user } from './user';

/** Every resource of the WeCom node, the main one first; adding one is a folder plus a line here. */
export const resources: ResourceModule[] = [
	appMessage,
	department,
	user,
	tag,
	groupRobot,
	approval,
	customApiCall,
];
